"""The engine interface: the rest of the code cannot tell the built-in engine from an endpoint.

An engine turns one :class:`SourceImage` into a :class:`EngineAnswer` (a picture).
What the picture means (a mask, a class map, an annotated overlay) is decided once, in
:mod:`oilspill_desktop.core.engines.answers`, for every engine alike.
"""

from __future__ import annotations

from typing import Protocol

from ..jobs.cancel import CancelToken
from ..model import EngineAnswer, SourceImage


class Engine(Protocol):
    """An engine. ``segment`` is called from many worker threads at once."""

    @property
    def engine(self) -> str:
        """``model``, ``classical`` or ``http``: written into the report."""
        ...

    @property
    def endpoint(self) -> str | None:
        """The URL for an HTTP engine, ``None`` for the offline ones."""
        ...

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        """Return the engine's answer or raise :class:`~.errors.ItemError`/``Cancelled``."""
        ...

    def close(self) -> None:
        """Release pooled connections; called once when the job is over."""
        ...
