"""Plain data passed between the archive reader, the engines, the workers and the report.

Everything here is immutable or owned by one thread at a time, so records can cross from
worker threads to the GUI thread without locks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

import numpy as np
import numpy.typing as npt
from PIL import Image

from .messages import Message, plain

MiB = 1024 * 1024


class ItemStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


MemberKind = Literal["image", "skipped"]
SegmentationKind = Literal["mask", "classes", "overlay"]
MaskSource = Literal["answer", "derived"]
"""Where a mask came from: the engine's answer itself, or derived from the regions an
annotated answer tinted (see :mod:`.annotated`)."""


@dataclass(frozen=True)
class Limits:
    """How members are read: guards against hostile or absurd inputs, and which band of a
    multi-band raster is used; all settable in the settings file."""

    max_pixels: int = 64_000_000
    max_member_bytes: int = 256 * MiB
    max_compression_ratio: float = 200.0
    band: int = 1
    """The band (1-based) of a multi-band radar TIFF that is shown and segmented: the
    first is VV or HH in dual-polarisation products; an image with fewer bands uses 1."""
    large_scene_pixels: int = 64_000_000
    """A TIFF with more pixels than this is read, segmented and written a window at a time
    (see :mod:`.inputs.scene_windows`) instead of being decoded whole; ``max_pixels`` then
    bounds each window, and :attr:`max_scene_windows` the scene."""
    max_scene_windows: int = 4096
    """The most windows a large scene may hold (4096 windows of 1536² pixels: 9.7 Gpx)."""


@dataclass(frozen=True, slots=True)
class ArchiveMember:
    """One listed member of an input archive.

    ``zip_name`` is the key :mod:`zipfile` knows the member by; ``path`` is the name as the
    user's archiver shows it (re-decoded from cp866 and friends where needed).
    ``output_stem`` is unique within the archive, so ``masks/<output_stem>.png`` never
    collides even when two inputs differ only by extension or letter case.
    """

    index: int
    zip_name: str
    path: str
    size: int
    compressed_size: int
    kind: MemberKind
    skip: Message | None = None
    """Why a skipped member is not processed, as a translatable message."""
    output_stem: str = ""

    @property
    def reason(self) -> str | None:
        """Why the member is skipped, in English (what the report says); ``None`` for an image."""
        return self.skip.text if self.skip is not None else None


@dataclass
class SourceImage:
    """A decoded input image, ready for an engine.

    ``pixels`` is always 8-bit ``L`` or ``RGB`` (16-bit and float data already stretched).
    ``original`` holds the member's bytes so an endpoint can be sent the file untouched;
    ``sendable_original`` says whether an ordinary ML service can be expected to read it
    (8-bit JPEG or PNG); otherwise engines send ``pixels`` as PNG. ``original_is_png_of_pixels``
    says the original is an 8-bit grey or RGB PNG that decodes to exactly ``pixels`` (no
    transparency, no orientation tag), so it can be stored in their place byte for byte;
    ``original_is_jpeg_of_pixels`` says the same of an 8-bit grey or RGB JPEG shown as stored.
    """

    path: str
    pixels: Image.Image
    original: bytes
    original_format: str
    content_type: str
    sendable_original: bool
    warnings: list[Message] = field(default_factory=list)
    original_is_png_of_pixels: bool = False
    original_is_jpeg_of_pixels: bool = False
    pixels_deferred: bool = False
    """``pixels`` is a JPEG not decoded yet: ask ``inputs.images.decoded_pixels`` for them."""
    band: int = 1
    """The band (1-based) a multi-band TIFF was read from, so that an engine that re-reads
    the member's physical values reads the same one."""
    amplitude: npt.NDArray[np.float32] | None = None
    """A window of a large scene: its physical values already as amplitude on the 0..255
    scale (scaled by the whole scene's percentile, so that windows agree), which an engine
    uses instead of re-reading ``original`` (a window has no member bytes of its own)."""

    @property
    def width(self) -> int:
        return self.pixels.width

    @property
    def height(self) -> int:
        return self.pixels.height


@dataclass
class EngineAnswer:
    """What an engine returned for one image: a picture, to be interpreted by ``answers``."""

    image: Image.Image
    attempts: int = 1
    warnings: list[Message] = field(default_factory=list)


@dataclass
class Segmentation:
    """An interpreted answer.

    ``kind`` is ``mask`` (binary or grayscale, oil where bright), ``classes`` (the 5-class
    SAR oil-spill palette) or ``overlay`` (an annotated picture: kept as it is, no
    statistics). ``oil`` is a boolean array of the source image's size for masks and class
    maps, ``None`` for overlays. ``mask_image`` is what goes into ``masks/`` (lossless);
    ``overlay_image`` is set only when the engine's own picture must be kept as the overlay.
    """

    kind: SegmentationKind
    oil: npt.NDArray[np.bool_] | None
    mask_image: Image.Image | None
    overlay_image: Image.Image | None = None
    classes: npt.NDArray[np.uint8] | None = None
    warnings: list[Message] = field(default_factory=list)
    mask_source: MaskSource | None = None
    """``answer`` for masks and class maps the engine sent, ``derived`` for a mask read off
    an annotated picture (then ``overlay_image`` is that picture); ``None`` without a mask."""


@dataclass(frozen=True, slots=True)
class GeoFacts:
    """What a georeferenced image adds to its record (see :mod:`.geo`).

    ``mask`` is the mask GeoTIFF (``geo/<stem>.tif``, in the results zip); beside it in
    the workspace, :attr:`slicks_file` holds the image's slicks as GeoJSON features,
    gathered into the zip's one ``slicks.geojson``. ``crs`` is ``EPSG:<code>`` where
    there is one.
    """

    crs: str | None = None
    pixel_size_m: float | None = None
    oil_area_km2: float | None = None
    slicks: int | None = None
    mask: str | None = None

    @property
    def slicks_file(self) -> str | None:
        return f"{self.mask.removesuffix('.tif')}.slicks.json" if self.mask else None

    def to_json(self) -> dict[str, object]:
        return {
            "crs": self.crs,
            "pixel_size_m": self.pixel_size_m,
            "oil_area_km2": self.oil_area_km2,
            "slicks": self.slicks,
            "geo_mask": self.mask,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> GeoFacts | None:
        crs, mask = data.get("crs"), data.get("geo_mask")
        if not isinstance(crs, str):
            return None
        size, area, slicks = data.get("pixel_size_m"), data.get("oil_area_km2"), data.get("slicks")
        return cls(
            crs=crs,
            pixel_size_m=float(size) if isinstance(size, int | float) else None,
            oil_area_km2=float(area) if isinstance(area, int | float) else None,
            slicks=int(slicks) if isinstance(slicks, int) else None,
            mask=mask if isinstance(mask, str) else None,
        )


NO_GEO = GeoFacts()


@dataclass(slots=True)
class ItemRecord:
    """One row of the report: the fate of one listed archive member.

    ``error`` is the English sentence (what the report shows); ``error_code`` and
    ``error_params`` say the same in a form the window translates (see :mod:`.messages`).
    """

    path: str
    status: ItemStatus
    error: str | None = None
    width: int | None = None
    height: int | None = None
    oil_pixels: int | None = None
    oil_fraction: float | None = None
    mask: str | None = None
    overlay: str | None = None
    attempts: int = 0
    elapsed_ms: int = 0
    kind: SegmentationKind | None = None
    warnings: list[Message] = field(default_factory=list)
    member_index: int = -1
    mask_source: MaskSource | None = None
    error_code: str | None = None
    error_params: dict[str, str | int] = field(default_factory=dict)
    geo: GeoFacts | None = None
    """Set for a georeferenced image that succeeded: where it lies and how much oil."""

    def fail(self, message: Message) -> None:
        """Record ``message`` as this item's error (the status is the caller's)."""
        self.error = message.text
        self.error_code = message.code
        self.error_params = dict(message.params)

    @property
    def error_message(self) -> Message | None:
        """The error as a translatable message, ``None`` without one."""
        if self.error is None:
            return None
        return Message(self.error, self.error_code, self.error_params)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "status": self.status.value,
            "error": self.error,
            "error_code": self.error_code,
            "error_params": dict(self.error_params),
            "width": self.width,
            "height": self.height,
            "oil_pixels": self.oil_pixels,
            "oil_fraction": self.oil_fraction,
            "mask": self.mask,
            "overlay": self.overlay,
            "attempts": self.attempts,
            "elapsed_ms": self.elapsed_ms,
            "kind": self.kind,
            "warnings": [warning.text for warning in self.warnings],
            "warning_codes": [_code_json(warning) for warning in self.warnings],
            "member_index": self.member_index,
            "mask_source": self.mask_source,
            **(self.geo or NO_GEO).to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ItemRecord:
        def opt_int(key: str) -> int | None:
            value = data.get(key)
            return int(value) if isinstance(value, int | float) else None

        fraction = data.get("oil_fraction")
        kind = data.get("kind")
        source = data.get("mask_source")
        code = data.get("error_code")
        params = data.get("error_params")
        return cls(
            path=str(data["path"]),
            status=ItemStatus(str(data["status"])),
            error=str(data["error"]) if data.get("error") is not None else None,
            width=opt_int("width"),
            height=opt_int("height"),
            oil_pixels=opt_int("oil_pixels"),
            oil_fraction=float(fraction) if isinstance(fraction, int | float) else None,
            mask=str(data["mask"]) if data.get("mask") else None,
            overlay=str(data["overlay"]) if data.get("overlay") else None,
            attempts=opt_int("attempts") or 0,
            elapsed_ms=opt_int("elapsed_ms") or 0,
            kind=kind if kind in ("mask", "classes", "overlay") else None,
            warnings=_warnings_from_json(data.get("warnings"), data.get("warning_codes")),
            member_index=-1 if (index := opt_int("member_index")) is None else index,
            mask_source=source if source in ("answer", "derived") else None,
            error_code=code if isinstance(code, str) else None,
            geo=GeoFacts.from_json(data),
            error_params=_params_from_json(params),
        )


def _code_json(message: Message) -> dict[str, object] | None:
    """A warning's code and parameters for the journal and report.json, ``None`` for a
    sentence without a code."""
    if message.code is None:
        return None
    return {"code": message.code, "params": dict(message.params)}


def _params_from_json(params: object) -> dict[str, str | int]:
    if not isinstance(params, dict):
        return {}
    return {str(k): v for k, v in params.items() if isinstance(v, str | int)}


def _warnings_from_json(texts: object, codes: object) -> list[Message]:
    """The warnings as written by :meth:`ItemRecord.to_json`.

    ``warnings`` holds the English sentences, ``warning_codes`` beside it the code and
    parameters of each (``None`` for one without). A journal or a report.json written
    before warnings had codes has only the sentences: they load as plain English, shown
    as they are; so does a list of codes that does not match the sentences one for one.
    """
    if not isinstance(texts, list):
        return []
    sentences = [str(text) for text in texts]
    if not isinstance(codes, list) or len(codes) != len(sentences):
        return [plain(text) for text in sentences]
    warnings: list[Message] = []
    for text, coded in zip(sentences, codes, strict=True):
        code = coded.get("code") if isinstance(coded, dict) else None
        if isinstance(code, str) and isinstance(coded, dict):
            warnings.append(Message(text, code, _params_from_json(coded.get("params"))))
        else:
            warnings.append(plain(text))
    return warnings
