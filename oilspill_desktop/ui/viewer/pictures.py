"""Turn one item's files into what the views draw: downsampled levels, built off the GUI thread.

Every picture is kept as a pyramid (full size, then halves down to about 256 pixels), so a
view never scales a 64-megapixel image down on each repaint. Masks are kept as 8-bit class
indices (0 sea, 1 oil, 2-4 the other classes of the 5-class palette) with a colour table:
the mask view shows them opaque, the overlay view paints them over the original with the
opacity of the slider, so moving the slider costs nothing. The colours, the order of the
classes and the outline width are those of :mod:`oilspill_desktop.core.results.overlay`, so the
overlay seen here is the overlay written into the results zip.

A picture above the display limit (a large scene's: see :mod:`.display`) is held reduced:
the pyramid's ``width``/``height`` stay the scene's, its first level is smaller, and the
views stretch it over the scene's coordinates. The mask is then read row by row and
sampled (:mod:`...core.results.png_rows`), the original read reduced by GDAL
(:meth:`.Originals.read_preview`); neither is ever decoded whole.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from PIL import Image
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QImage

from ...core.engines.answers import CLASS_PALETTE, OIL_CLASS, interpret_answer
from ...core.errors import Cancelled, OilSpillError
from ...core.jobs.cancel import CancelToken
from ...core.model import ItemRecord, ItemStatus, Limits, Segmentation, SegmentationKind
from ...core.results.overlay import CLASS_COLOURS, OIL_RGB, outline
from ...core.results.png_rows import (
    DamagedPng,
    NotStreamable,
    png_size,
    read_grey_reduced,
    sample_positions,
)
from ..core_messages import record_error
from ..core_messages import translate as translate_message
from .display import reduced_size, reduction
from .originals import Originals
from .results_source import ResultsError, ResultsSource

translate = QCoreApplication.translate
"""Qt's translation lookup under the name lupdate recognises."""

log = logging.getLogger(__name__)

LEVEL_MIN_SIDE = 256
"""Halving stops once the longer side is at most this many pixels."""

IndexArray = npt.NDArray[np.uint8]


def _table(colours: dict[int, tuple[int, int, int, int]]) -> list[int]:
    return [QColor(*colours.get(i, (0, 0, 0, 0))).rgba() for i in range(256)]


MASK_TABLE = _table({0: (0, 0, 0, 255), OIL_CLASS: (255, 255, 255, 255)})
"""A binary mask as it is stored: oil white on black."""
CLASSES_TABLE = _table({i: (*rgb, 255) for i, (_name, rgb) in CLASS_PALETTE.items()})
"""A 5-class map in the dataset's palette, sea black."""
LAYER_TABLE = _table(
    {OIL_CLASS: (*OIL_RGB, 255)} | {c: (*rgb, 255) for c, rgb in CLASS_COLOURS.items()}
)
"""What is painted over the original: the overlay colours, sea transparent."""


@dataclass(frozen=True)
class Pyramid:
    """One picture at full size and successive halves; ``width``/``height`` are the full size."""

    width: int
    height: int
    levels: tuple[QImage, ...]

    @property
    def nbytes(self) -> int:
        return sum(level.sizeInBytes() for level in self.levels)

    @property
    def shown_at(self) -> int:
        """1 when the first level is the full size; else by how much it is reduced."""
        first = self.levels[0].width() if self.levels else self.width
        return max(1, round(self.width / max(1, first)))


@dataclass
class ItemPictures:
    """Everything the views need for one item; immutable once built."""

    key: Hashable
    record: ItemRecord
    width: int | None = None
    height: int | None = None
    original: Pyramid | None = None
    original_note: str | None = None
    kind: SegmentationKind | None = None
    classes: Pyramid | None = None
    outlines: Pyramid | None = None
    picture: Pyramid | None = None
    """A picture from the results to use as the overlay: the engine's own annotated picture,
    or the saved overlay when the original is not available."""
    mask_note: str | None = None
    class_counts: dict[int, int] = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        parts = (self.original, self.classes, self.outlines, self.picture)
        return 4096 + sum(p.nbytes for p in parts if p is not None)

    @property
    def shown_at(self) -> int:
        """By how much the pictures are reduced to be shown (1: at full size)."""
        parts = (self.original, self.classes, self.picture)
        return max([p.shown_at for p in parts if p is not None], default=1)

    @property
    def live_overlay(self) -> bool:
        """True when the overlay is drawn here from original + mask (controls apply)."""
        return self.original is not None and self.classes is not None


def qimage_from_pil(image: Image.Image) -> QImage:
    """A deep copy as ``Grayscale8`` or ``RGB888`` (safe to build on any thread)."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    fmt, channels = (
        (QImage.Format.Format_Grayscale8, 1)
        if image.mode == "L"
        else (QImage.Format.Format_RGB888, 3)
    )
    data = image.tobytes()
    return QImage(data, image.width, image.height, image.width * channels, fmt).copy()


def qimage_from_index(indices: IndexArray, table: list[int] | None = None) -> QImage:
    """An ``Indexed8`` deep copy of a class-index array."""
    height, width = indices.shape
    data = np.ascontiguousarray(indices).tobytes()
    image = QImage(data, width, height, width, QImage.Format.Format_Indexed8).copy()
    image.setColorTable(table or MASK_TABLE)
    return image


def pil_levels(image: Image.Image, min_side: int = LEVEL_MIN_SIDE) -> list[Image.Image]:
    levels = [image]
    while max(levels[-1].size) > min_side:
        levels.append(levels[-1].reduce(2))
    return levels


def index_levels(indices: IndexArray, min_side: int = LEVEL_MIN_SIDE) -> list[IndexArray]:
    """Halves by taking every other pixel: classes must not blend into made-up values."""
    levels = [indices]
    while max(levels[-1].shape) > min_side:
        levels.append(levels[-1][::2, ::2])
    return levels


def pyramid_from_pil(image: Image.Image, size: tuple[int, int] | None = None) -> Pyramid:
    """``image``'s pyramid; ``size`` is the full size it stands for when it is reduced."""
    levels = pil_levels(image)
    width, height = size or image.size
    return Pyramid(width, height, tuple(qimage_from_pil(level) for level in levels))


def outline_indices(indices: IndexArray) -> IndexArray:
    """The outline style of :func:`core.overlay.render_overlay`, as class indices.

    Same width rule (one pixel per 256 of the shorter side) and same class order (a later
    class wins where outlines touch).
    """
    result = np.zeros_like(indices)
    width = max(1, round(min(indices.shape) / 256))
    for cls in sorted(CLASS_COLOURS):
        mask = indices == cls
        if mask.any():
            result[outline(mask, width=width)] = cls
    return result


def class_indices(segmentation: Segmentation) -> IndexArray:
    if segmentation.kind == "classes" and segmentation.classes is not None:
        return np.ascontiguousarray(segmentation.classes, dtype=np.uint8)
    assert segmentation.oil is not None
    return segmentation.oil.astype(np.uint8) * np.uint8(OIL_CLASS)


def _open_picture(data: bytes, name: str, limits: Limits) -> Image.Image:
    """``data`` decoded whole, under the pixel limit. A PNG's size is checked from its
    header first: Pillow refuses a picture far above its own limit as unreadable."""
    try:
        _check_pixels(name, png_size(data) or (0, 0), limits)
        image = Image.open(io.BytesIO(data))
        _check_pixels(name, image.size, limits)
        image.load()
    except ResultsError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ResultsError(
            translate("Pictures", "{name} is not a readable picture.").format(name=name)
        ) from exc
    return image


def _check_pixels(name: str, size: tuple[int, int], limits: Limits) -> None:
    if size[0] * size[1] > limits.max_pixels:
        text = translate("Pictures", "{name} is {w}x{h} pixels, more than the viewer will open.")
        raise ResultsError(text.format(name=name, w=size[0], h=size[1]))


def _open_mask(
    data: bytes, name: str, limits: Limits, cancel: CancelToken
) -> tuple[Image.Image, tuple[int, int], bool]:
    """The mask picture, its full size, and whether the picture is already reduced.

    A mask above the display limit is read row by row and sampled when it is a grey PNG
    the streaming reader takes (a large scene's always is); otherwise it is decoded whole,
    under the pixel limit.
    """
    size = png_size(data)
    factor = reduction(*size) if size is not None else 1
    if size is not None and factor > 1:
        try:
            reduced = read_grey_reduced(data, factor, cancel)
            return Image.fromarray(reduced, "L"), size, True
        except NotStreamable:
            pass
        except DamagedPng as exc:
            log.warning("The mask %s is damaged: %s", name, exc)
            raise ResultsError(
                translate(
                    "Pictures", "{name} is damaged: its rows are cut short or do not unpack."
                ).format(name=name)
            ) from exc
    image = _open_picture(data, name, limits)
    return image, image.size, False


def _sampled(indices: IndexArray) -> IndexArray:
    """A class map above the display limit, reduced by keeping each block's centre."""
    height, width = indices.shape
    factor = reduction(width, height)
    if factor == 1:
        return indices
    rows, columns = sample_positions(height, factor), sample_positions(width, factor)
    return np.ascontiguousarray(indices[rows][:, columns])


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OilSpillError):
        return translate_message(exc.message)
    if isinstance(exc, ResultsError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


@dataclass(frozen=True)
class LoadContext:
    """Where an item's files come from; replaced as a whole when any part changes."""

    source: ResultsSource
    originals: Originals | None = None
    originals_note: str | None = None
    """Why there are no originals, shown in their place."""
    limits: Limits = field(default_factory=Limits)


def load_pictures(
    key: Hashable, record: ItemRecord, context: LoadContext, cancel: CancelToken
) -> ItemPictures:
    """Read and prepare one item: the mask, the original if it can be had, and the picture.

    Never raises for a bad file: what could not be read becomes a note the views show.
    Raises only :class:`Cancelled`.
    """
    pictures = ItemPictures(key, record, record.width, record.height, kind=record.kind)
    segmentation = _read_mask(pictures, record, context, cancel)
    cancel.raise_if_cancelled()
    if segmentation is not None and segmentation.kind != "overlay":
        _build_layers(pictures, record, segmentation, cancel)
    cancel.raise_if_cancelled()
    _read_original(pictures, record, context, cancel)
    cancel.raise_if_cancelled()
    _read_overlay(pictures, record, context)
    return pictures


def _read_mask(
    pictures: ItemPictures, record: ItemRecord, context: LoadContext, cancel: CancelToken
) -> Segmentation | None:
    """The item's mask as the engine's answer, or ``None`` with the note that says why not.

    Sets the item's size from the mask when the report does not give it, so that the
    original can be checked against it afterwards. A mask read reduced is interpreted at
    the reduced size of the item.
    """
    source, limits = context.source, context.limits
    segmentation: Segmentation | None = None
    if record.mask:
        try:
            image, size, reduced = _open_mask(source.read(record.mask), record.mask, limits, cancel)
            width, height = record.width or size[0], record.height or size[1]
            target = reduced_size(width, height, reduction(width, height)) if reduced else None
            segmentation = interpret_answer(image, *(target or (width, height)))
            pictures.width, pictures.height = width, height
        except (ResultsError, ValueError, MemoryError) as exc:
            pictures.mask_note = translate(
                "Pictures", "The mask could not be shown: {reason}"
            ).format(reason=_describe(exc))
    elif record.status is ItemStatus.FAILED:
        pictures.mask_note = (
            translate("Pictures", "No mask: this image failed. {error}")
            .format(error=record_error(record))
            .strip()
        )
    elif record.kind == "overlay":
        pictures.mask_note = translate(
            "Pictures",
            "The engine answered with an annotated picture rather than a mask; "
            "it is shown as the overlay.",
        )
    return segmentation


def _build_layers(
    pictures: ItemPictures, record: ItemRecord, segmentation: Segmentation, cancel: CancelToken
) -> None:
    """The class (or mask) layer and its outlines, as pyramids the views can zoom cheaply.

    Done once here, off the GUI thread, rather than per paint.
    """
    indices = _sampled(class_indices(segmentation))
    width, height = pictures.width or indices.shape[1], pictures.height or indices.shape[0]
    if record.kind == "classes" or segmentation.kind == "classes":
        pictures.kind = "classes"
        counts = np.bincount(indices.reshape(-1), minlength=5)
        pictures.class_counts = {i: int(counts[i]) for i in range(len(counts)) if counts[i]}
    else:
        pictures.kind = "mask"
    levels = index_levels(indices)
    table = CLASSES_TABLE if pictures.kind == "classes" else MASK_TABLE
    pictures.classes = Pyramid(
        width, height, tuple(qimage_from_index(level, table) for level in levels)
    )
    cancel.raise_if_cancelled()
    pictures.outlines = Pyramid(
        width,
        height,
        tuple(qimage_from_index(outline_indices(level), LAYER_TABLE) for level in levels),
    )


def _read_original(
    pictures: ItemPictures, record: ItemRecord, context: LoadContext, cancel: CancelToken
) -> None:
    """The input image from the input archive, if it is there and is the one the results
    were made from; otherwise a note saying why the original is not shown."""
    originals = context.originals
    if originals is None:
        pictures.original_note = context.originals_note
    elif record.member_index < 0:
        pictures.original_note = translate(
            "Pictures", "The report does not say which archive member this was."
        )
    else:
        try:
            pixels, size = originals.read_preview(record.member_index, record.path, cancel)
            expected = (pictures.width, pictures.height)
            if None not in expected and size != expected:
                pictures.original_note = translate(
                    "Pictures",
                    "The original in the input archive is {w}x{h} pixels, not {ew}x{eh} as "
                    "in the results: it is not the image these results were made from.",
                ).format(w=size[0], h=size[1], ew=expected[0], eh=expected[1])
            else:
                pictures.width, pictures.height = size
                pictures.original = pyramid_from_pil(pixels, size)
            del pixels
        except Cancelled:
            raise
        except Exception as exc:  # one unreadable original must not stop the viewer
            pictures.original_note = translate(
                "Pictures", "The original could not be read: {reason}"
            ).format(reason=_describe(exc))


def _read_overlay(pictures: ItemPictures, record: ItemRecord, context: LoadContext) -> None:
    """The saved overlay picture, read only when it is needed: for an annotated answer, or
    when no live overlay can be drawn from the mask and the original."""
    source, limits = context.source, context.limits
    wants_picture = record.kind == "overlay" or not pictures.live_overlay
    if record.overlay and wants_picture:
        try:
            image = _open_picture(source.read(record.overlay), record.overlay, limits)
            if pictures.width is None or pictures.height is None:
                pictures.width, pictures.height = image.size
            # A large scene's saved overlay is reduced already: it is drawn over the scene.
            factor = reduction(image.width, image.height)
            shown = image.reduce(factor) if factor > 1 else image
            size = (pictures.width, pictures.height)
            pictures.picture = pyramid_from_pil(shown.convert("RGB"), size)
        except (ResultsError, ValueError, MemoryError) as exc:
            if pictures.mask_note is None:
                pictures.mask_note = translate(
                    "Pictures", "The overlay could not be shown: {reason}"
                ).format(reason=_describe(exc))
