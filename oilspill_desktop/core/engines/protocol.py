"""The engine interface: the rest of the code cannot tell the built-in engine from an endpoint.

An engine turns one :class:`SourceImage` into a :class:`EngineAnswer` (a picture).
What the picture means (a mask, a class map, an annotated overlay) is decided once, in
:mod:`oilspill_desktop.core.engines.answers`, for every engine alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

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


@runtime_checkable
class PartEngine(Engine, Protocol):
    """An engine that takes images a part at a time (a server that takes zips).

    The job hands it ``part_size`` images at once; for each image it sent it returns an
    engine that answers that image from what the part brought back, so every image is then
    finished exactly as with a per-image engine.
    """

    part_size: int

    def segment_part(self, images: Iterable[SourceImage], cancel: CancelToken) -> Sequence[Engine]:
        """One engine per image read from ``images``, in order."""
        ...


def part_size(engine: Engine) -> int:
    """How many images ``engine`` takes at once; 0 for a per-image engine."""
    size = getattr(engine, "part_size", 0)
    if isinstance(size, int) and callable(getattr(engine, "segment_part", None)):
        return max(0, size)
    return 0
