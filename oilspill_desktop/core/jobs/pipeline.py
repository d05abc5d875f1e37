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

from PIL import Image

from ..engines.answers import interpret_answer
from ..engines.protocol import Engine
from ..errors import Cancelled, EndpointUnreachable, ItemError, OutputError
from ..inputs.archive import InputArchive
from ..inputs.images import decode_image
from ..messages import say
from ..model import ArchiveMember, ItemRecord, ItemStatus, Limits
from ..results.overlay import render_overlay
from ..results.png import blank_png
from ..results.thumbnail import make_thumbnail, thumbnail_name
from .cancel import CancelToken
from .geo_step import clear_nodata, read_place, save_geo_outputs
from .workspace import MASKS, OVERLAYS, JobWorkspace

log = logging.getLogger(__name__)


def process_member(
    archive: InputArchive,
    member: ArchiveMember,
    engine: Engine,
    workspace: JobWorkspace,
    limits: Limits,
    cancel: CancelToken,
) -> ItemRecord:
    started = time.perf_counter()
    record = ItemRecord(path=member.path, status=ItemStatus.FAILED, member_index=member.index)
    try:
        cancel.raise_if_cancelled()
        data = archive.read(member, cancel)
        source = decode_image(data, member.path, limits)
        georef = read_place(data, source.width, source.height)
        del data
        record.width, record.height = source.width, source.height
        cancel.raise_if_cancelled()
        answer = engine.segment(source, cancel)
        record.attempts = answer.attempts
        segmentation = interpret_answer(
            answer.image, source.width, source.height, sent=source.pixels
        )
        if georef is not None:
            segmentation = clear_nodata(segmentation, georef)
        cancel.raise_if_cancelled()
        overlay = render_overlay(source.pixels, segmentation)
        if segmentation.mask_image is not None:
            record.mask = f"{MASKS}/{member.output_stem}.png"
            _save_mask(workspace, record.mask, segmentation.mask_image)
        record.overlay = f"{OVERLAYS}/{member.output_stem}.png"
        if overlay is source.pixels and source.original_is_png_of_pixels:
            workspace.save_file(record.overlay, source.original)  # nothing painted on it
        else:
            workspace.save_png(record.overlay, overlay)
        if segmentation.oil is not None:
            record.oil_pixels = int(segmentation.oil.sum())
            record.oil_fraction = record.oil_pixels / max(1, source.width * source.height)
        thumbnail = thumbnail_name(record) if record.oil_pixels else None
        if thumbnail is not None:  # for report.html: made now, while image and mask are here
            workspace.save_file(thumbnail, make_thumbnail(source.pixels, segmentation))
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
    record.elapsed_ms = round((time.perf_counter() - started) * 1000)
    workspace.journal.append(record)
    return record


def _save_mask(workspace: JobWorkspace, relative: str, mask: Image.Image) -> None:
    """Save a mask; an empty one (nothing found: most images) is the same bytes each time."""
    if mask.mode in ("L", "RGB") and mask.getbbox() is None:
        workspace.save_file(relative, blank_png(mask.mode, mask.width, mask.height))
    else:
        workspace.save_png(relative, mask)
