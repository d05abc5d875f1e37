"""What a worker does with one archive member: read, decode, segment, paint, save, journal.

This function is the unit of work the scheduler hands to its thread pool. It never raises
for a bad image (that becomes a ``failed`` record); it raises only :class:`Cancelled` (the
user stopped the job), :class:`OutputError` (the disk cannot take results: the whole
job must stop, keeping what is done) and :class:`EndpointUnreachable` (the endpoint never
answered and refuses connections: nothing can be done).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from ..engines.answers import interpret_answer
from ..engines.protocol import Engine
from ..errors import Cancelled, EndpointUnreachable, ItemError, OutputError
from ..inputs.archive import InputArchive
from ..inputs.images import decode_image, decoded_pixels, is_large_tiff
from ..messages import say
from ..model import ArchiveMember, ItemRecord, ItemStatus, Limits, Segmentation, SourceImage
from ..results.overlay import paints_anything, render_overlay
from ..results.overlay_files import DEFAULT_OVERLAYS, OverlayFormat, jpeg_is_whole, overlay_member
from ..results.png import blank_png
from ..results.thumbnail import make_thumbnail, thumbnail_name
from .cancel import CancelToken
from .geo_step import clear_nodata, read_place, save_geo_outputs
from .workspace import MASKS, OVERLAYS, JobWorkspace

if TYPE_CHECKING:
    from .scene_tiles import TileBudget
    from .windowed import TileProgress

log = logging.getLogger(__name__)


def process_member(
    archive: InputArchive,
    member: ArchiveMember,
    engine: Engine,
    workspace: JobWorkspace,
    limits: Limits,
    cancel: CancelToken,
    overlays: OverlayFormat = DEFAULT_OVERLAYS,
    tiles: TileProgress | None = None,
    budget: TileBudget | None = None,
) -> ItemRecord:
    """``overlays`` is the kind of overlay picture kept (see :mod:`..results.overlay_files`);
    ``tiles`` is told the windows done of a large scene (see :mod:`.windowed`), whose
    windows are segmented as many at once as ``budget`` allows (one at a time without)."""
    started = time.perf_counter()
    record = ItemRecord(path=member.path, status=ItemStatus.FAILED, member_index=member.index)
    try:
        cancel.raise_if_cancelled()
        data = archive.read(member, cancel)
        if is_large_tiff(data, limits) and _windowed(
            data, member, engine, workspace, record, limits, cancel, overlays, tiles, budget
        ):
            return _journalled(workspace, record, started)
        # An endpoint is sent a JPEG's own bytes: its pixels are decoded only if needed.
        source = decode_image(data, member.path, limits, defer_jpeg=engine.engine == "http")
        georef = read_place(data, source.width, source.height)
        del data
        record.width, record.height = source.width, source.height
        cancel.raise_if_cancelled()
        answer = engine.segment(source, cancel)
        record.attempts = answer.attempts
        segmentation = interpret_answer(
            answer.image, source.width, source.height, sent=lambda: decoded_pixels(source)
        )
        if georef is not None:
            segmentation = clear_nodata(segmentation, georef)
        cancel.raise_if_cancelled()
        _save_pictures(workspace, record, member, source, segmentation, overlays)
        if georef is not None and segmentation.oil is not None:
            record.geo = save_geo_outputs(workspace, member, georef, segmentation.oil)
        record.kind = segmentation.kind
        record.mask_source = segmentation.mask_source if record.mask else None
        record.warnings = [*source.warnings, *answer.warnings, *segmentation.warnings]
        record.status = ItemStatus.OK
    except (Cancelled, OutputError, EndpointUnreachable):
        raise
    except ItemError as exc:
        record.fail(exc.message)
        record.attempts = max(record.attempts, int(getattr(exc, "attempts", 0) or 0))
    except MemoryError:
        record.fail(say("item.no_memory"))
    except Exception as exc:  # a bug must fail one item, never the job or the app
        log.exception("Unexpected error on %s", member.path)
        record.fail(say("item.unexpected", reason=f"{type(exc).__name__}: {exc}"))
    return _journalled(workspace, record, started)


def _journalled(workspace: JobWorkspace, record: ItemRecord, started: float) -> ItemRecord:
    record.elapsed_ms = round((time.perf_counter() - started) * 1000)
    workspace.journal.append(record)
    return record


def _windowed(
    data: bytes,
    member: ArchiveMember,
    engine: Engine,
    workspace: JobWorkspace,
    record: ItemRecord,
    limits: Limits,
    cancel: CancelToken,
    overlays: OverlayFormat,
    tiles: TileProgress | None,
    budget: TileBudget | None,
) -> bool:
    """Process a large TIFF window by window (see :mod:`.windowed`); False when its layout
    does not allow windowed reads, and it takes the whole-image path (and its limit).
    Imported here: only a large scene loads rasterio."""
    from ..inputs.scene_windows import LargeScene, NotWindowable
    from .windowed import process_scene

    try:
        scene = LargeScene(data, member.path, limits)
    except NotWindowable:
        return False
    with scene:
        process_scene(scene, engine, workspace, record, member, cancel, overlays, tiles, budget)
    record.status = ItemStatus.OK
    return True


def _save_pictures(
    workspace: JobWorkspace,
    record: ItemRecord,
    member: ArchiveMember,
    source: SourceImage,
    segmentation: Segmentation,
    overlays: OverlayFormat,
) -> None:
    """The mask, the overlay and (for an image with oil) the report's thumbnail, and the
    oil counts the record carries."""
    if segmentation.mask_image is not None:
        record.mask = f"{MASKS}/{member.output_stem}.png"
        _save_mask(workspace, record.mask, segmentation.mask_image)
    kept = overlays
    if kept == "none" and record.mask is None:
        kept = "jpeg"  # without a mask the engine's picture is all there is: keep it
    if kept != "none":
        record.overlay = overlay_member(OVERLAYS, member.output_stem, kept)
        _save_overlay(workspace, record.overlay, source, segmentation, kept)
    if segmentation.oil is not None:
        record.oil_pixels = int(np.count_nonzero(segmentation.oil))
        record.oil_fraction = record.oil_pixels / max(1, source.width * source.height)
    thumbnail = thumbnail_name(record) if record.oil_pixels else None
    if thumbnail is not None:  # for report.html: made now, while image and mask are here
        base = decoded_pixels(source)  # a JPEG with overlays off is decoded here
        workspace.save_file(thumbnail, make_thumbnail(base, segmentation))


def _save_overlay(
    workspace: JobWorkspace,
    relative: str | None,
    source: SourceImage,
    segmentation: Segmentation,
    fmt: OverlayFormat,
) -> None:
    """Paint and save the overlay; with nothing painted on it (open sea: most images), an
    original that already is that picture in that format is kept byte for byte instead (a
    JPEG's pixels are then never decoded)."""
    assert relative is not None
    keeps_jpeg = (
        fmt == "jpeg" and source.original_is_jpeg_of_pixels and jpeg_is_whole(source.original)
    )
    if keeps_jpeg and not paints_anything(segmentation):
        workspace.save_file(relative, source.original)
        return
    pixels = decoded_pixels(source)
    overlay = render_overlay(pixels, segmentation)
    if fmt == "jpeg":
        workspace.save_jpeg(relative, overlay)
    elif overlay is pixels and source.original_is_png_of_pixels:
        workspace.save_file(relative, source.original)  # nothing painted on it
    else:
        workspace.save_png(relative, overlay)


def _save_mask(workspace: JobWorkspace, relative: str, mask: Image.Image) -> None:
    """Save a mask; an empty one (nothing found: most images) is the same bytes each time."""
    if mask.mode in ("L", "RGB") and mask.getbbox() is None:
        workspace.save_file(relative, blank_png(mask.mode, mask.width, mask.height))
    else:
        workspace.save_png(relative, mask)
