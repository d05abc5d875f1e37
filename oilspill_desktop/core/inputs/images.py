"""Turn an archive member's bytes into 8-bit pixels an engine can use.

SAR products arrive as 16-bit, 32-bit integer or float GeoTIFFs whose useful contrast sits
in a sliver of the value range; clipping them to 8 bits shows a black square, so they are
percentile-stretched (float backscatter in dB first). Everything else is brought to ``L``
or ``RGB``. Only the four formats the archive admits are ever tried, so a renamed EPS or
other exotic file never reaches a decoder that would run external tools.
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from PIL import (
    BmpImagePlugin,
    ExifTags,
    Image,
    ImageFile,
    ImageOps,
    Jpeg2KImagePlugin,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    WebPImagePlugin,
)

from ..errors import ItemError, LimitExceeded
from ..messages import Message, say
from ..model import Limits, SourceImage
from ..results.overlay_files import JPEG_END
from ..results.png import END as PNG_END
from .tiff_bands import (
    Meaning,
    TiffLayout,
    read_tiff_band,
    tiff_data_vary,
    tiff_layout,
    values_vary,
)

IMAGE_EXTENSIONS: frozenset[str] = frozenset(
    {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".jp2", ".j2k", ".webp"}
)

_CONTENT_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
    "JPEG2000": "image/jp2",
    "WEBP": "image/webp",
}

_TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")

# Magic numbers decide the decoder, not the member's extension: a ".png" that is really a
# JPEG is common and harmless.
_OPENERS: tuple[tuple[tuple[bytes, ...], Callable[[io.BytesIO], ImageFile.ImageFile]], ...] = (
    ((b"\x89PNG\r\n\x1a\n",), PngImagePlugin.PngImageFile),
    # JpegImageFile rather than PIL's factory: an MPO (camera JPEG with previews) then
    # opens as its first picture, which is exactly what we want, without a detour.
    ((b"\xff\xd8\xff",), JpegImagePlugin.JpegImageFile),
    ((b"BM",), BmpImagePlugin.BmpImageFile),
    (_TIFF_MAGICS, TiffImagePlugin.TiffImageFile),
    # JPEG 2000: the JP2 box signature, or a bare codestream (.j2k).
    ((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51"), Jpeg2KImagePlugin.Jpeg2KImageFile),
    ((b"RIFF",), WebPImagePlugin.WebPImageFile),
)

_SENDABLE_MODES = frozenset({"L", "RGB", "RGBA", "P"})
_STRETCHED_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I", "F"})
_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})
_TIFF_NEW_SUBFILE_TYPE = 254
_GDAL_NODATA_TAG = 42113
_LOW_PERCENTILE = 1.0
_HIGH_PERCENTILE = 99.0
# Float data whose 99th/1st percentile ratio reaches this (20 dB) is backscatter power or
# amplitude, not a picture: shown in dB, as SAR viewers do.
_DB_DYNAMIC_RANGE = 100.0
_PERCENTILE_SAMPLE = 1_000_000
_MAX_TIFF_PAGES_COUNTED = 1000

# Only taken around loads of images larger than PIL's own warning threshold, which happens
# only if the user raised ``max_pixels`` above it: warnings.catch_warnings is process-wide.
_PIL_WARNINGS_LOCK = threading.Lock()

UInt8Array = npt.NDArray[np.uint8]


def is_image_name(name: str) -> bool:
    """Whether a member name has one of the image extensions we decode (any case)."""
    lower = name.lower()
    return any(lower.endswith(ext) for ext in IMAGE_EXTENSIONS)


def is_large_tiff(data: bytes, limits: Limits) -> bool:
    """Whether ``data`` is a TIFF above the large-scene threshold, from its header alone:
    such a scene is read in windows (:mod:`.scene_windows`) where its layout allows."""
    if not data.startswith(_TIFF_MAGICS):
        return False
    layout = tiff_layout(data)
    return layout is not None and layout.width * layout.height > limits.large_scene_pixels


def content_type_for(fmt: str) -> str:
    """The MIME type for a PIL format name, for sending the original to an endpoint."""
    return _CONTENT_TYPES.get(fmt.upper(), "application/octet-stream")


def _reason(error: BaseException) -> str:
    text = str(error).strip().rstrip(".")
    return text or type(error).__name__


def _undecodable(fmt: str, error: BaseException) -> ItemError:
    """The decoder's complaint; OpenJPEG's named, since it is the usual culprit for JP2."""
    code = "image.jp2_undecodable" if fmt == "JPEG2000" else "image.undecodable"
    return ItemError(say(code, reason=_reason(error)))


def _open(data: bytes) -> ImageFile.ImageFile:
    """Identify the data and read its header only; PIL's size check is left to us."""
    for magics, factory in _OPENERS:
        if data.startswith(magics):
            try:
                return factory(io.BytesIO(data))
            except Exception as error:
                fmt = "JPEG2000" if factory is Jpeg2KImagePlugin.Jpeg2KImageFile else ""
                raise _undecodable(fmt, error) from error
    if not data:
        raise ItemError(say("image.empty"))
    raise ItemError(say("image.unsupported"))


def _check_pixels(size: tuple[int, int], limits: Limits) -> None:
    width, height = size
    if width * height > limits.max_pixels:
        raise too_many_pixels(width, height, limits)


def too_many_pixels(width: int, height: int, limits: Limits) -> LimitExceeded:
    """The error of an image refused by the pixel limit."""
    return LimitExceeded(
        say(
            "image.too_many_pixels",
            width=str(width),
            height=str(height),
            pixels=f"{width * height:,}",
            limit=f"{limits.max_pixels:,}",
        )
    )


def _load(image: ImageFile.ImageFile) -> None:
    """Decode the pixels, keeping PIL's decompression-bomb warning out of the way.

    We have already checked the size against our own limit; PIL's global threshold can
    only be reached when the user allowed more, so its warning is silenced there (its hard
    error still stands and is reported as a limit).
    """
    cap = Image.MAX_IMAGE_PIXELS
    pixels = image.width * image.height
    try:
        if cap is not None and pixels > cap:
            with _PIL_WARNINGS_LOCK, warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image.load()
        else:
            image.load()
    except Image.DecompressionBombError as error:
        limit = 2 * cap if cap is not None else 0
        raise LimitExceeded(say("image.bomb", pixels=f"{pixels:,}", limit=f"{limit:,}")) from error


def _tiff_page_count(image: ImageFile.ImageFile) -> int:
    """How many full-resolution pages a TIFF holds; overviews (pyramids) do not count."""
    if not getattr(image, "is_animated", False):
        return 1
    pages = 1
    for frame in range(1, _MAX_TIFF_PAGES_COUNTED):
        try:
            image.seek(frame)
            subfile_type = int(getattr(image, "tag_v2", {}).get(_TIFF_NEW_SUBFILE_TYPE, 0))
        except Exception:  # EOFError at the end; a damaged later page ends the count too
            break
        if not subfile_type & 1:
            pages += 1
    image.seek(0)
    return pages


def gdal_nodata(image: Image.Image) -> float | None:
    """The GDAL no-data value of a GeoTIFF, if it declares one."""
    tags = getattr(image, "tag_v2", None)
    if tags is None:
        return None
    value = tags.get(_GDAL_NODATA_TAG)
    if isinstance(value, tuple | list):
        value = value[0] if value else None
    if value is None:
        return None
    try:
        return float(str(value).strip().strip("\x00"))
    except ValueError:
        return None


def _apply_exif_orientation(image: Image.Image, notes: list[Message]) -> tuple[Image.Image, bool]:
    """Turn a camera JPEG upright, as every viewer shows it; True if it was turned."""
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:
        notes.append(say("warn.exif_unreadable"))
        return image, False
    if orientation in (None, 1) or not 2 <= int(orientation) <= 8:
        return image, False
    turned = ImageOps.exif_transpose(image)
    return turned, turned is not image


def _composite_on_black(image: Image.Image) -> Image.Image:
    """Drop alpha as a viewer on a black page would: transparent parts become no-data black."""
    if image.mode in ("La", "LA"):
        image = image.convert("LA")
        base = Image.new("L", image.size, 0)
    else:
        image = image.convert("RGBA")
        base = Image.new("RGB", image.size, (0, 0, 0))
    base.paste(image, (0, 0), image.getchannel("A"))
    return base


def _percentile_bounds(sample: npt.NDArray[np.floating]) -> tuple[float, float] | None:
    if sample.size == 0:
        return None
    lo, hi = (float(v) for v in np.percentile(sample, [_LOW_PERCENTILE, _HIGH_PERCENTILE]))
    if hi <= lo:
        lo, hi = float(sample.min()), float(sample.max())
    return lo, hi


def _scale(
    values: npt.NDArray[np.floating],
    lo: float,
    hi: float,
    dtype: type[np.floating],
    *,
    decibels_floor: float | None = None,
) -> UInt8Array:
    """Map ``lo..hi`` to ``0..255`` linearly, clipping outside; monotone by construction.

    With ``decibels_floor``, ``values`` are powers and ``lo``/``hi`` are in dB: the
    10·log10 is folded into the same passes (values below the floor count as the floor).
    Subtracting before multiplying keeps float32 exact enough for data with a big offset.
    """
    if hi <= lo:
        return np.full(values.shape, 128, dtype=np.uint8)
    gain = 255.0 / (hi - lo)
    if decibels_floor is None:
        work: npt.NDArray[np.floating] = np.subtract(values, dtype(lo - 0.5 / gain), dtype=dtype)
    else:
        # 10·log10(x) = (10 / ln 10)·ln(x); the natural log is twice as fast.
        to_db = 10.0 / math.log(10.0)
        work = np.fmax(values, dtype(decibels_floor))
        np.log(work, out=work)
        work -= dtype((lo - 0.5 / gain) / to_db)
        gain *= to_db
    work *= dtype(gain)
    np.clip(work, 0.0, 255.0, out=work)
    return work.astype(np.uint8)


def _stretch_uint16(
    data: npt.NDArray[np.uint16], nodata: float | None
) -> tuple[UInt8Array, int, bool]:
    """Exact percentiles from a histogram, then one table look-up: fast on 4000×4000."""
    counts = np.bincount(data.ravel(), minlength=65536)
    table, flat = uint16_stretch_table(counts, nodata)
    if table is None:
        return np.zeros(data.shape, dtype=np.uint8), data.size, False
    has_nodata = nodata is not None and nodata.is_integer() and 0 <= nodata <= 65535
    invalid = int(counts[int(nodata)]) if has_nodata and nodata is not None else 0
    out: UInt8Array = table[data]
    return out, invalid, flat


def uint16_stretch_table(
    counts: npt.NDArray[np.intp], nodata: float | None
) -> tuple[UInt8Array | None, bool]:
    """The 16-bit to 8-bit look-up table of the percentile stretch, from a histogram of
    the values (the whole image's, or a large scene's reduced picture's, so that every
    window of it is stretched alike); whether the data are flat; ``None`` without data.
    ``counts`` is not modified."""
    counts = counts.copy()
    has_nodata = nodata is not None and nodata.is_integer() and 0 <= nodata <= 65535
    if has_nodata:
        counts[int(nodata)] = 0  # type: ignore[arg-type]
    valid = int(counts.sum())
    if valid == 0:
        return None, False
    cumulative = np.cumsum(counts)
    lo = int(np.searchsorted(cumulative, valid * _LOW_PERCENTILE / 100, side="right"))
    hi = int(np.searchsorted(cumulative, valid * _HIGH_PERCENTILE / 100, side="left"))
    present = np.flatnonzero(counts)
    if hi <= lo:
        lo, hi = int(present[0]), int(present[-1])
    table = _scale(np.arange(65536, dtype=np.float32), lo, hi, np.float32)
    if has_nodata:
        table[int(nodata)] = 0  # type: ignore[arg-type]
    return table, hi <= lo


def _stretch_general(
    data: npt.NDArray[np.generic], nodata: float | None, is_float: bool
) -> tuple[UInt8Array, int, bool]:
    """Percentile stretch of 32-bit integer or float data; float power goes through dB."""
    dtype: type[np.floating] = np.float32 if is_float else np.float64
    values = data.astype(dtype, copy=False)
    valid: npt.NDArray[np.bool_] | None = None
    if is_float:
        # 0 is the no-data fill of SAR products; real backscatter is never exactly 0.
        valid = np.isfinite(values) & (values != 0)
    if nodata is not None and not math.isnan(nodata):
        not_nodata = values != dtype(nodata)
        valid = not_nodata if valid is None else valid & not_nodata
    invalid = 0 if valid is None else int(valid.size - np.count_nonzero(valid))
    step = max(1, values.size // _PERCENTILE_SAMPLE)
    sample = values.ravel()[::step]
    if valid is not None:
        sample = sample[valid.ravel()[::step]]
    if sample.size == 0:
        return np.zeros(values.shape, dtype=np.uint8), invalid, False

    decibels_floor: float | None = None
    positive = sample[sample > 0]
    if is_float and positive.size >= 0.99 * sample.size:
        p_lo, p_hi = np.percentile(positive, [_LOW_PERCENTILE, _HIGH_PERCENTILE])
        if p_hi >= _DB_DYNAMIC_RANGE * p_lo:
            # Values at or below zero are under the noise floor: darkest, order kept.
            decibels_floor = float(positive.min())
            sample = np.log10(np.fmax(sample, dtype(decibels_floor))) * dtype(10.0)
    bounds = _percentile_bounds(sample)
    assert bounds is not None
    out = _scale(values, bounds[0], bounds[1], dtype, decibels_floor=decibels_floor)
    if valid is not None:
        out[~valid] = 0
    return out, invalid, bounds[1] <= bounds[0]


def _stretch(image: Image.Image, notes: list[Message]) -> Image.Image:
    """16-bit, 32-bit integer and float single-band data to 8-bit ``L``."""
    data = np.asarray(image)
    meaning: Meaning = "power" if data.dtype.kind == "f" else "amplitude"
    return stretch_band(data, meaning, gdal_nodata(image), notes)


def stretch_band(
    data: npt.NDArray[np.generic], meaning: Meaning, nodata: float | None, notes: list[Message]
) -> Image.Image:
    """One band's physical values to 8-bit ``L`` for display; notes about the data.

    Amplitude is stretched between percentiles; power too, through dB when its range is
    that of backscatter; dB values are stretched as they are (they are already a log).
    8-bit amplitude is shown as it is.
    """
    if data.dtype.byteorder not in ("=", "|"):
        data = data.astype(data.dtype.newbyteorder("="))
    if data.dtype == np.uint8:
        return Image.fromarray(np.ascontiguousarray(data), mode="L")
    with np.errstate(all="ignore"):
        if data.dtype == np.uint16:
            out, invalid, flat = _stretch_uint16(data.astype(np.uint16, copy=False), nodata)
        else:
            out, invalid, flat = _stretch_general(data, nodata, meaning != "amplitude")
    if invalid:
        share = 100.0 * invalid / data.size
        notes.append(
            say("warn.nodata", share=f"{share:.0f}") if share >= 1 else say("warn.nodata_little")
        )
    if flat:
        notes.append(say("warn.flat"))
    return Image.fromarray(out, mode="L")


def to_8bit(image: Image.Image, notes: list[Message]) -> Image.Image:
    """Bring any decoded mode to ``L`` or ``RGB``; notes about the data go to ``notes``."""
    mode = image.mode
    if mode in ("L", "RGB"):
        return image
    if mode == "1":
        return image.convert("L")
    if mode in _STRETCHED_MODES:
        return _stretch(image, notes)
    if mode == "P":
        if "transparency" in image.info:
            return _composite_on_black(image.convert("RGBA"))
        return image.convert("RGB")
    if mode in _ALPHA_MODES:
        return _composite_on_black(image)
    return image.convert("RGB")  # CMYK, YCbCr, RGBX, ...


def _png_bit_depth(data: bytes) -> int:
    """The IHDR bit depth; IHDR is always the first chunk, so it sits at byte 24."""
    return data[24] if len(data) > 24 else 0


def _is_plain_png(image: Image.Image, bit_depth: int, data: bytes) -> bool:
    """Whether a PNG's own bytes can stand for its decoded pixels (as an overlay of open sea)."""
    return (
        bit_depth == 8
        and not {"transparency", "exif"} & image.info.keys()
        and not getattr(image, "is_animated", False)  # an APNG would move as an overlay
        and data.endswith(PNG_END)  # nothing trailing: a whole PNG, as results are checked
    )


def decode_image(
    data: bytes, path: str, limits: Limits, *, defer_jpeg: bool = False
) -> SourceImage:
    """Decode one member into a :class:`SourceImage`, or raise :class:`ItemError`.

    The pixel count is checked from the header before any pixel is decoded, so a small
    file declaring a gigapixel image costs nothing. ``defer_jpeg`` leaves the pixels of a
    plain JPEG to :func:`decoded_pixels` (see :func:`_can_defer`).
    """
    if data.startswith(_TIFF_MAGICS):
        layout = tiff_layout(data)
        if layout is not None and not layout.pillow_reads_it:
            return _decode_with_tifffile(data, path, limits, layout)
    image = _open(data)
    fmt = image.format or "unknown"
    notes: list[Message] = []
    _check_pixels(image.size, limits)
    try:
        if fmt == "TIFF":
            pages = _tiff_page_count(image)
            if pages > 1:
                notes.append(say("warn.tiff_pages", count=pages))
        opened_mode = image.mode
        deferred = defer_jpeg and _can_defer(image, fmt, data)
        if not deferred:
            _load(image)
        turned = False
        oriented: Image.Image = image
        if fmt in ("JPEG", "MPO"):
            oriented, turned = _apply_exif_orientation(image, notes)
        pixels = to_8bit(oriented, notes)
    except ItemError:
        raise
    except MemoryError as error:
        raise ItemError(say("image.no_memory")) from error
    except Exception as error:
        raise _undecodable(fmt, error) from error
    bit_depth = _png_bit_depth(data) if fmt == "PNG" else 8
    if not deferred and _is_flat(pixels):  # a deferred JPEG is 8-bit: read as it is
        _refuse_flat(image, pixels, fmt, bit_depth, data)
    sendable = (
        fmt in ("PNG", "JPEG")
        and opened_mode in _SENDABLE_MODES
        and not turned
        and (fmt != "PNG" or bit_depth <= 8)
    )
    png_of_pixels = fmt == "PNG" and pixels is image and _is_plain_png(image, bit_depth, data)
    return SourceImage(
        path=path,
        pixels=pixels,
        original=data,
        original_format=fmt,
        content_type=content_type_for(fmt),
        sendable_original=sendable,
        warnings=notes,
        original_is_png_of_pixels=png_of_pixels,
        original_is_jpeg_of_pixels=fmt == "JPEG" and pixels is image and not turned,
        pixels_deferred=deferred and pixels is image,  # turned or converted: decoded already
    )


def _can_defer(image: ImageFile.ImageFile, fmt: str, data: bytes) -> bool:
    """Whether decoding can wait until :func:`decoded_pixels`: an 8-bit grey or RGB JPEG,
    whole (it ends with its end-of-image marker: one cut short is decoded at once, and
    fails as it always did), below PIL's own size warning (which :func:`_load` handles).

    An endpoint is sent the JPEG's own bytes, and an image whose mask is empty (open sea)
    or whose overlay is not kept never needs its pixels: decoding a megapixel scene only to
    send the same bytes was a quarter of the CPU a worker spent on it.
    """
    cap = Image.MAX_IMAGE_PIXELS
    return (
        fmt == "JPEG"
        and image.mode in ("L", "RGB")
        and data.endswith(JPEG_END)
        and (cap is None or image.width * image.height <= cap)
    )


def decoded_pixels(source: SourceImage) -> Image.Image:
    """``source.pixels``, decoded now if :func:`decode_image` put that off; raises
    :class:`ItemError` (the same sentences as an eager decode) if they cannot be."""
    if source.pixels_deferred:
        try:
            source.pixels.load()
        except MemoryError as error:
            raise ItemError(say("image.no_memory")) from error
        except Exception as error:
            raise ItemError(say("image.undecodable", reason=_reason(error))) from error
        source.pixels_deferred = False
    return source.pixels


def _decode_with_tifffile(
    data: bytes, path: str, limits: Limits, layout: TiffLayout
) -> SourceImage:
    """A TIFF Pillow would misread (see :mod:`.tiff_bands`): one band or the colour, 8-bit."""
    if layout.width < 1 or layout.height < 1:
        raise ItemError(say("image.undecodable", reason="the TIFF declares no pixels"))
    _check_pixels((layout.width, layout.height), limits)
    _check_tiff_bytes(layout, limits)
    notes: list[Message] = []
    try:
        band = read_tiff_band(data, limits.band)
        notes.extend(band.notes)
        if band.colour is not None:
            pixels = band.colour
        else:
            assert band.values is not None
            pixels = stretch_band(band.values, band.meaning, band.nodata, notes)
    except ItemError:
        raise
    except MemoryError as error:
        raise ItemError(say("image.no_memory")) from error
    except Exception as error:
        raise ItemError(say("image.undecodable", reason=_reason(error))) from error
    if _is_flat(pixels):
        values = band.values
        if tiff_data_vary(data) if values is None else values_vary(values):
            raise ItemError(say("image.flat", value=str(_flat_value(pixels))))
    return SourceImage(
        path=path,
        pixels=pixels,
        original=data,
        original_format="TIFF",
        content_type=content_type_for("TIFF"),
        sendable_original=False,
        warnings=notes,
        band=limits.band,
    )


def _check_tiff_bytes(layout: TiffLayout, limits: Limits) -> None:
    """All bands of a page are decoded at once: bound their memory, 8 bytes a pixel."""
    need = layout.width * layout.height * layout.samples * max(1, layout.bits // 8)
    limit = limits.max_pixels * 8
    if need > limit:
        raise LimitExceeded(
            say(
                "image.too_many_bytes",
                samples=str(layout.samples),
                bits=str(layout.bits),
                size=f"{need / 1e6:,.0f} MB",
                limit=f"{limit / 1e6:,.0f} MB",
            )
        )


def _is_flat(pixels: Image.Image) -> bool:
    """Whether every pixel of the 8-bit picture holds the same value (in every channel)."""
    extrema = pixels.getextrema()
    if not extrema:  # no pixels at all
        return False
    bands = extrema if isinstance(extrema[0], tuple) else (extrema,)
    first = bands[0]
    return all(low == high == first[0] for low, high in bands)


def _flat_value(pixels: Image.Image) -> int:
    extrema = pixels.getextrema()
    first = extrema[0] if isinstance(extrema[0], tuple) else extrema
    return int(first[0])


def _refuse_flat(
    image: Image.Image, pixels: Image.Image, fmt: str, bit_depth: int, data: bytes
) -> None:
    """A picture of one value from data that are not: a decoding loss, never an ok item.

    Wide single-band data are compared with what was decoded from them, a TIFF with the
    samples tifffile reads from it. A 16-bit colour
    PNG is read by Pillow through the high byte of each value, so its data cannot be
    compared; one that comes out flat almost always holds values below 256, and is
    refused with that reason rather than segmented as a blank picture.
    """
    varies = (image.mode in _STRETCHED_MODES and values_vary(np.asarray(image))) or (
        fmt == "TIFF" and tiff_data_vary(data)
    )
    if varies:
        raise ItemError(say("image.flat", value=str(_flat_value(pixels))))
    if fmt == "PNG" and bit_depth == 16 and len(data) > 25 and data[25] in (2, 6):
        raise ItemError(say("image.flat_png16"))
