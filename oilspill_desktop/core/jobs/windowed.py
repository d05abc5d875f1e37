"""A large scene, segmented a window at a time: the pipeline's step for a huge TIFF.

Each window of the scene (:class:`~..inputs.scene_windows.LargeScene`) goes to the
engine as an image of its own (so the HTTP engine sends it as a request of its own),
several at once as the job's :class:`~.scene_tiles.TileBudget` allows; the scene's worker
takes the answers back in order and stitches their cores into one row of the mask at a
time, which it writes at once: the mask PNG row by row (:class:`~..results.png.GreyPngRows`),
the mask GeoTIFF by windowed writes. Memory is bounded by one row of windows and the
windows in work, not by the scene.

What needs the whole scene at once is made from a reduced copy (:attr:`LargeScene.factor`
times smaller, at most 2048 pixels a side): the overlay, the report's thumbnail, and the
slicks with their areas (each reduced pixel is oil when most of the pixels it stands for
are). The record says so in its warnings. The oil pixel count is exact.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from affine import Affine
from PIL import Image
from rasterio.control import GroundControlPoint
from rasterio.io import MemoryFile
from rasterio.windows import Window

from ..engines.answers import interpret_answer
from ..engines.multilook import block_mean
from ..engines.protocol import Engine
from ..errors import ItemError
from ..geo.georef import Georeference, quiet_open
from ..geo.ground import GroundFrame
from ..geo.mask_tiff import NODATA
from ..geo.slicks import find_slicks
from ..inputs.scene_windows import LargeScene, SceneWindow
from ..messages import Message, say
from ..model import ArchiveMember, GeoFacts, ItemRecord, MaskSource, Segmentation
from ..results.overlay import render_overlay
from ..results.overlay_files import OverlayFormat, overlay_member
from ..results.png import GreyPngRows
from ..results.thumbnail import make_thumbnail, thumbnail_name
from .cancel import CancelToken
from .mending import retry_can_mend
from .scene_tiles import TileBudget, in_order
from .workspace import GEO, MASKS, OVERLAYS, JobWorkspace

if TYPE_CHECKING:
    from rasterio.io import DatasetWriter

TileProgress = Callable[[int, int], None]
"""(windows done, windows in the scene) of the large scene being segmented."""

Bools = npt.NDArray[np.bool_]


def process_scene(
    scene: LargeScene,
    engine: Engine,
    workspace: JobWorkspace,
    record: ItemRecord,
    member: ArchiveMember,
    cancel: CancelToken,
    overlays: OverlayFormat,
    progress: TileProgress | None = None,
    budget: TileBudget | None = None,
) -> None:
    """Segment ``scene`` and save its results into ``record`` (which the caller journals).

    ``budget``: how many windows are segmented at once (see :mod:`.scene_tiles`); one
    at a time without it."""
    georef = scene.georeference()
    picture = scene.preview()
    record.width, record.height = scene.width, scene.height
    mask = f"{MASKS}/{member.output_stem}.png"
    geo_mask = f"{GEO}/{member.output_stem}.tif" if georef is not None else None
    with (
        workspace.writing(mask) as handle,
        _mask_tiff(scene, georef) as tiff,
    ):
        png = GreyPngRows(handle, scene.width, scene.height)
        stitched = _stitch(scene, engine, cancel, budget or TileBudget(1), tiff, png, progress)
        png.close()
        tiff_bytes = tiff.close_bytes() if tiff is not None else None
    record.mask = mask
    record.oil_pixels = stitched.oil_pixels
    record.oil_fraction = stitched.oil_pixels / max(1, scene.width * scene.height)
    record.kind = "mask"
    record.mask_source = stitched.mask_source
    reduced = stitched.reduced
    _save_reduced(workspace, record, member, picture, reduced, overlays)
    if georef is not None and geo_mask is not None and tiff_bytes is not None:
        record.geo = _save_geo(workspace, member, georef, scene, reduced, geo_mask, tiff_bytes)
    record.warnings = [_scene_note(scene, georef is not None), *stitched.notes.values()]


def _scene_note(scene: LargeScene, georeferenced: bool) -> Message:
    size = {"width": scene.width, "height": scene.height, "count": scene.window_count}
    if scene.factor == 1:
        return say("warn.scene_windows", **size)
    code = "warn.scene_windows_reduced_geo" if georeferenced else "warn.scene_windows_reduced"
    return say(code, **size, factor=scene.factor)


@dataclass(frozen=True)
class _Tile:
    """One window's part of the mask: the oil of its core, where the input holds data
    there (``None`` unless the scene has no-data), and what its answer said."""

    oil: Bools
    valid: Bools | None
    mask_source: MaskSource
    notes: tuple[Message, ...]


@dataclass
class _Stitched:
    """What the writer gathered while it wrote the mask row by row."""

    reduced: Bools
    oil_pixels: int = 0
    mask_source: MaskSource = "answer"
    notes: dict[str, Message] = field(default_factory=dict)
    """The windows' warnings by their English, each sentence once."""


def _stitch(
    scene: LargeScene,
    engine: Engine,
    cancel: CancelToken,
    budget: TileBudget,
    tiff: _TiffWriter | None,
    png: GreyPngRows,
    progress: TileProgress | None,
) -> _Stitched:
    """The one writer: the windows' answers taken back in order, each row of windows
    written once its last window is in.

    ``mask_source`` is ``derived`` when any window's mask was derived from an annotated
    picture (a mask is only as direct as its least direct part), else ``answer``."""
    width, height = scene.preview_size()
    stitched = _Stitched(np.zeros((height, width), dtype=np.bool_))
    with_valid = tiff is not None and scene.has_nodata
    windows = list(itertools.chain.from_iterable(scene.bands()))

    def work(window: SceneWindow, token: CancelToken) -> _Tile:
        return _segment_window(scene, window, windows, engine, token, with_valid)

    row: tuple[Bools, Bools | None] | None = None
    answers = in_order(windows, work, cancel, budget)
    with contextlib.closing(answers):
        for done, (window, tile) in enumerate(zip(windows, answers, strict=True), 1):
            core = window.core
            if row is None:
                oil = np.zeros((int(core.height), scene.width), dtype=np.bool_)
                row = oil, np.ones_like(oil) if with_valid else None
            columns = slice(int(core.col_off), int(core.col_off + core.width))
            row[0][:, columns] = tile.oil
            if row[1] is not None and tile.valid is not None:
                row[1][:, columns] = tile.valid
            if tile.mask_source == "derived":
                stitched.mask_source = "derived"
            stitched.notes.update((note.text, note) for note in tile.notes)
            if columns.stop == scene.width:
                _write_row(scene, int(core.row_off), *row, tiff, png, stitched)
                row = None
            if progress is not None:
                progress(done, len(windows))
    return stitched


def _write_row(
    scene: LargeScene,
    top: int,
    oil: Bools,
    valid: Bools | None,
    tiff: _TiffWriter | None,
    png: GreyPngRows,
    stitched: _Stitched,
) -> None:
    png.write(oil.view(np.uint8) * np.uint8(255))
    if tiff is not None:
        _write_tiff_rows(tiff, top, oil, valid)
    factor = scene.factor
    reduced = block_mean(oil.view(np.uint8), factor) >= 0.5 if factor > 1 else oil
    stitched.reduced[top // factor : top // factor + _ceil(oil.shape[0], factor)] = reduced
    stitched.oil_pixels += int(np.count_nonzero(oil))


def _segment_window(
    scene: LargeScene,
    window: SceneWindow,
    windows: list[SceneWindow],
    engine: Engine,
    cancel: CancelToken,
    with_valid: bool,
) -> _Tile:
    """The oil (and valid pixels) of one window's core; on a worker of the scene's own.
    A window that fails fails the scene, with the window's place in the reason."""
    try:
        # An endpoint is sent the 8-bit picture: the amplitude would only take memory.
        read = scene.read(window, with_amplitude=engine.engine != "http")
        source = read.source
        answer = engine.segment(source, cancel)
        segmentation = interpret_answer(
            answer.image, source.width, source.height, sent=lambda: source.pixels
        )
    except ItemError as exc:
        raise _window_failed(exc, window, windows) from exc
    # Given what was sent, an annotated answer yields a derived mask (or an EngineError).
    assert segmentation.oil is not None
    rows, columns = window.inner
    oil = segmentation.oil[rows, columns]
    valid = read.valid[rows, columns] if read.valid is not None else None
    if valid is not None:
        oil = oil & valid
    return _Tile(
        oil,
        valid if with_valid else None,
        segmentation.mask_source or "answer",
        (*answer.warnings, *segmentation.warnings),
    )


def _window_failed(exc: ItemError, window: SceneWindow, windows: list[SceneWindow]) -> ItemError:
    """The window's error, saying where the window lies; a failure inherent in the input
    (coded ``image.``) stays one that no retry mends."""
    core = window.core
    code = "image.window_failed" if not retry_can_mend(exc.message.code) else "scene.window_failed"
    error = ItemError(
        say(
            code,
            window=windows.index(window) + 1,
            windows=len(windows),
            rows=f"{int(core.row_off)}–{int(core.row_off + core.height) - 1}",
            columns=f"{int(core.col_off)}–{int(core.col_off + core.width) - 1}",
            reason=exc.message.text.rstrip("."),
            cause=exc.message.code or "",
        )
    )
    error.attempts = int(getattr(exc, "attempts", 0) or 0)  # type: ignore[attr-defined]
    return error


def _ceil(length: int, factor: int) -> int:
    return -(-length // factor)


class _TiffWriter:
    """The mask GeoTIFF of a scene, written a row of windows at a time (see mask_tiff)."""

    def __init__(self, memory: MemoryFile, dataset: DatasetWriter) -> None:
        self.memory, self.dataset = memory, dataset

    def close_bytes(self) -> bytes:
        self.dataset.close()
        return bytes(self.memory.read())


@contextlib.contextmanager
def _mask_tiff(scene: LargeScene, georef: Georeference | None) -> Iterator[_TiffWriter | None]:
    if georef is None:
        yield None
        return
    profile: dict[str, Any] = {
        "driver": "GTiff",
        "width": scene.width,
        "height": scene.height,
        "count": 1,
        "dtype": "uint8",
        "compress": "deflate",
        "nodata": NODATA if scene.has_nodata else None,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "BIGTIFF": "IF_SAFER",
    }
    if georef.transform is not None:
        profile.update(crs=georef.crs, transform=georef.transform)
    with MemoryFile() as memory:
        with quiet_open():
            dataset = memory.open(**profile)
        try:
            if georef.transform is None:
                dataset.gcps = (list(georef.gcps), georef.crs)
            yield _TiffWriter(memory, dataset)
        finally:
            dataset.close()


def _write_tiff_rows(tiff: _TiffWriter, top: int, oil: Bools, valid: Bools | None) -> None:
    values = oil.astype(np.uint8)
    if valid is not None:
        values[~valid] = NODATA
    window = Window(0, top, values.shape[1], values.shape[0])
    tiff.dataset.write(values, 1, window=window)


def _save_reduced(
    workspace: JobWorkspace,
    record: ItemRecord,
    member: ArchiveMember,
    picture: Image.Image,
    reduced: Bools,
    overlays: OverlayFormat,
) -> None:
    """The overlay and thumbnail, painted on the reduced picture."""
    segmentation = Segmentation(kind="mask", oil=reduced, mask_image=None)
    name = overlay_member(OVERLAYS, member.output_stem, overlays)
    if name is not None:
        record.overlay = name
        painted = render_overlay(picture, segmentation)
        if overlays == "jpeg":
            workspace.save_jpeg(name, painted)
        else:
            workspace.save_png(name, painted)
    thumbnail = thumbnail_name(record) if record.oil_pixels else None
    if thumbnail is not None:
        workspace.save_file(thumbnail, make_thumbnail(picture, segmentation))


def _save_geo(
    workspace: JobWorkspace,
    member: ArchiveMember,
    georef: Georeference,
    scene: LargeScene,
    reduced: Bools,
    geo_mask: str,
    tiff_bytes: bytes,
) -> GeoFacts:
    """The slicks, measured on the reduced mask in a georeference scaled to it."""
    small = _reduced_georef(georef, scene, reduced.shape[1], reduced.shape[0])
    frame = GroundFrame.for_image(small)
    slicks = find_slicks(reduced, frame)
    facts = GeoFacts(
        crs=georef.label,
        pixel_size_m=round(GroundFrame.for_image(georef).pixel_size_m(), 3),
        oil_area_km2=sum(slick.area_km2 for slick in slicks),
        slicks=len(slicks),
        mask=geo_mask,
    )
    assert facts.slicks_file is not None
    features = [slick.feature(member.path) for slick in slicks]
    workspace.save_file(facts.slicks_file, json.dumps(features).encode("utf-8"))
    workspace.save_file(geo_mask, tiff_bytes)
    return facts


def _reduced_georef(
    georef: Georeference, scene: LargeScene, width: int, height: int
) -> Georeference:
    sx, sy = scene.width / width, scene.height / height
    if georef.transform is not None:
        return Georeference(
            georef.crs, width, height, transform=georef.transform @ Affine.scale(sx, sy)
        )
    gcps = tuple(
        GroundControlPoint(row=g.row / sy, col=g.col / sx, x=g.x, y=g.y, z=g.z, id=g.id)
        for g in georef.gcps
    )
    return Georeference(georef.crs, width, height, gcps=gcps)
