"""Cooperative cancellation shared between the scheduler and the workers.

Workers check the token between stages and sleep on it during retry back-off, so a cancel
is honoured within one stage rather than after the whole image.
"""

from __future__ import annotations

import threading

from ..errors import Cancelled


class CancelToken:
    """A thread-safe flag with an interruptible wait."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")

    def sleep(self, seconds: float) -> None:
        """Sleep up to ``seconds``; raise :class:`Cancelled` as soon as the token is set."""
        if self._event.wait(max(0.0, seconds)):
            raise Cancelled("cancelled")
