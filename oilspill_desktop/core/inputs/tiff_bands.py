"""Read the TIFFs that Pillow cannot read faithfully, with tifffile.

Pillow reads 8-bit pictures, single-band unsigned 16-bit and single-band float32 TIFFs
exactly, and those keep its path (every compression its libtiff knows). Everything else it
gets silently wrong or refuses: 16-bit-per-channel RGB(A) loses its low byte (a 12-bit
picture comes out black), unsigned 32-bit wraps to negative, signed 8-bit wraps, a
two-band 8-bit image comes out two pixels wide, float64, multi-band float and complex data
are "cannot identify". tifffile reads all of these as the numbers that were written; this
module says which path a TIFF takes, and reads the one band (or the colour) a job uses.

What the numbers *mean* is decided here too, because the display stretch and the engines'
physical amplitude must agree: unsigned integers are amplitude digital numbers, floats are
sigma0 power (or dB when most values are negative), signed integers are dB (scaled by 100
or 10 where their magnitude says so) when most values are negative, amplitude otherwise,
and complex values (single-look complex) become power, |z|².

tifffile alone decodes Deflate, LZMA and PackBits; imagecodecs would add LZW and ZSTD but
weighs 82 MB installed, more than the whole bundle's headroom. Pillow's libtiff already
holds LZW and ZSTD decoders, so a compressed chunk is handed to it wrapped in a one-strip
TIFF of its own (:func:`_pillow_decompress`); JPEG-compressed TIFFs that are not 8-bit
pictures (12-bit JPEG) are refused with a reason.
"""

from __future__ import annotations

import io
import itertools
import re
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import tifffile
from PIL import Image

from ..errors import ItemError
from ..messages import Message, say

Meaning = Literal["amplitude", "power", "db"]

_UINT, _INT, _FLOAT, _COMPLEX_INT, _COMPLEX_FLOAT = 1, 2, 3, 5, 6
_MINISWHITE, _MINISBLACK, _RGB, _PALETTE = 0, 1, 2, 3
_PILLOW_PHOTOMETRICS = frozenset({_MINISWHITE, _MINISBLACK, _RGB, _PALETTE, 5, 6, 8})
_GDAL_METADATA_TAG = 42112
_GDAL_NODATA_TAG = 42113
_LZW, _JPEG, _ZSTD = 5, 7, 50000
_FLOAT_PREDICTOR = 3
_NATIVE = "<" if sys.byteorder == "little" else ">"
_PILLOW_CODECS = {_LZW: "LZW", _ZSTD: "ZSTD"}
_CODEC_NAMES = {**_PILLOW_CODECS, _JPEG: "JPEG", 6: "old-style JPEG", 34712: "JPEG 2000"}
# A chunk is decoded by Pillow as a one-row 8-bit picture: keep it under Pillow's own
# decompression-bomb threshold, whose warning would be process-wide.
_MAX_PILLOW_CHUNK = 80_000_000
_PERCENTILE_SAMPLE = 1_000_000
_MAX_PAGES_COUNTED = 1000
_DESCRIPTION = re.compile(
    r'<Item name="DESCRIPTION" sample="(\d+)"[^>]*>([^<]*)</Item>', re.IGNORECASE
)


@dataclass(frozen=True)
class TiffLayout:
    """What the first page's tags say, enough to choose the reader."""

    width: int
    height: int
    samples: int
    bits: int
    sample_format: int
    photometric: int
    extra_samples: int
    alpha_samples: int
    compression: int

    @property
    def pillow_reads_it(self) -> bool:
        """Whether Pillow decodes this layout to exactly the values written."""
        if self.photometric not in _PILLOW_PHOTOMETRICS:
            return False
        if self.sample_format == _UINT and self.bits in (1, 8):
            standard = 3 if self.photometric == _RGB else 4 if self.photometric == 5 else 1
            if self.photometric == 6:  # YCbCr: Pillow converts to RGB itself
                return self.samples == 3
            # Pillow knows one alpha sample; an "unspecified" extra sample it misreads.
            alpha = self.alpha_samples
            return self.samples - alpha == standard and alpha == self.extra_samples <= 1
        single = self.samples == 1 and self.photometric in (_MINISWHITE, _MINISBLACK)
        wide = (self.sample_format, self.bits) in ((_UINT, 16), (_FLOAT, 32))
        return single and wide and self.photometric == _MINISBLACK

    @property
    def colour(self) -> bool:
        """An RGB(A) picture rather than bands of a radar product."""
        return self.photometric == _RGB and self.samples - self.extra_samples >= 3


@dataclass
class TiffBand:
    """The pixels a job uses from a TIFF read by tifffile.

    Either ``colour`` (an 8-bit RGB picture, stretched) or ``values``: one band's
    physical values, with what they mean and the GeoTIFF no-data value.
    """

    values: npt.NDArray[Any] | None
    meaning: Meaning
    nodata: float | None
    colour: Image.Image | None = None
    notes: list[Message] = field(default_factory=list)


def tiff_layout(data: bytes) -> TiffLayout | None:
    """The first page's layout, or ``None`` when tifffile cannot parse the header."""
    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tif:
            page = tif.pages.first
            extra = page.extrasamples
            return TiffLayout(
                width=int(page.imagewidth),
                height=int(page.imagelength),
                samples=int(page.samplesperpixel),
                bits=int(page.bitspersample),
                sample_format=int(page.sampleformat),
                photometric=int(page.photometric),
                extra_samples=len(extra) if extra else 0,
                alpha_samples=sum(1 for kind in extra or () if int(kind) in (1, 2)),
                compression=int(page.compression),
            )
    except Exception:  # not a TIFF tifffile understands: Pillow gives the reason
        return None


def read_tiff_band(data: bytes, band: int = 1) -> TiffBand:
    """Decode the first page: the colour picture, or band ``band`` (1-based) of a raster.

    Raises :class:`ItemError` with the reason when the data cannot be decoded.
    """
    notes: list[Message] = []
    with tifffile.TiffFile(io.BytesIO(data)) as tif:
        page = tif.pages.first
        _check_decodable(tif, page)
        values = page.asarray(maxworkers=1)
        photometric = int(page.photometric)
        colour = photometric == _RGB and int(page.samplesperpixel) >= 3
        if photometric == _PALETTE and page.colormap is not None and values.ndim == 2:
            values = np.moveaxis(np.asarray(page.colormap)[:, values], 0, -1)  # indices to RGB
            colour = True
        nodata = _nodata(page)
        descriptions = _descriptions(page)
        _count_pages(tif, notes)
        alpha = bool(page.extrasamples)
        planar_separate = int(page.planarconfig) == 2
        size = (int(page.imagelength), int(page.imagewidth))
    if (
        values.ndim not in (2, 3)
        or (values.shape[-2:] if planar_separate else values.shape[:2]) != size
    ):
        raise ValueError(
            f"its pixels decode to an array of shape {values.shape}, not the {size[1]}x{size[0]} "
            "it declares"
        )
    if values.ndim == 3 and not planar_separate:
        values = np.moveaxis(values, -1, 0)  # bands first
    if colour:
        return TiffBand(None, "amplitude", nodata, _colour(values, alpha, notes), notes)
    if values.ndim == 3:
        values = _pick_band(values, band, descriptions, notes)
    if values.dtype.kind == "c":
        notes.append(say("warn.complex"))
        power = np.abs(values).astype(np.float32)
        np.square(power, out=power)
        return TiffBand(power, "power", None, None, notes)
    meaning, values = _meaning(values, notes)
    return TiffBand(values, meaning, nodata, None, notes)


def _check_decodable(tif: tifffile.TiffFile, page: Any) -> None:
    """Refuse, naming it, what the decoders at hand would fail on or get wrong."""
    ours = tifffile.TIFF.UNPREDICTORS.get(_FLOAT_PREDICTOR) is _float_predictor_decode
    if int(page.predictor) == _FLOAT_PREDICTOR and ours and tif.byteorder != _NATIVE:
        raise ItemError(
            say(
                "image.undecodable",
                reason="a TIFF of the other byte order with the floating-point predictor is "
                "not supported",
            )
        )
    compression = int(page.compression)
    try:
        tifffile.TIFF.DECOMPRESSORS[compression]
    except KeyError:
        name = _CODEC_NAMES.get(compression, f"compression {compression}")
        samples, bits = str(page.samplesperpixel), str(page.bitspersample)
        raise ItemError(say("image.tiff_codec", codec=name, samples=samples, bits=bits)) from None


def _count_pages(tif: tifffile.TiffFile, notes: list[Message]) -> None:
    pages = sum(
        1
        for each in itertools.islice(tif.pages, _MAX_PAGES_COUNTED)
        if not int(getattr(each, "subfiletype", 0)) & 1  # overviews do not count
    )
    if pages > 1:
        notes.append(say("warn.tiff_pages", count=pages))


def _pick_band(
    values: npt.NDArray[Any], band: int, descriptions: dict[int, str], notes: list[Message]
) -> npt.NDArray[Any]:
    """Band ``band`` (1-based) of bands-first ``values``, or the first if there is no such."""
    bands = values.shape[0]
    index = band - 1
    if not 0 <= index < bands:
        notes.append(say("warn.band_missing", band=band, bands=bands))
        index = 0
    label = descriptions.get(index)
    if label:
        notes.append(say("warn.band_used_named", band=index + 1, label=label, bands=bands))
    else:
        notes.append(say("warn.band_used", band=index + 1, bands=bands))
    picked: npt.NDArray[Any] = values[index]
    return picked


def tiff_data_vary(data: bytes) -> bool:
    """Whether the first page's samples hold more than one value, as tifffile reads them.

    The check behind the flat-picture guard: a TIFF whose decoded picture is one value
    everywhere while this says otherwise was decoded wrong. ``False`` when tifffile cannot
    read the page (the picture is then all there is to go by).
    """
    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tif:
            values = tif.pages.first.asarray(maxworkers=1)
    except Exception:
        return False
    return values_vary(values)


def values_vary(values: npt.NDArray[Any]) -> bool:
    """Whether an array holds more than one value (NaN beside numbers counts as another)."""
    flat = values.ravel()
    if flat.size == 0:
        return False
    if flat.dtype.kind in "fc":
        finite = flat[np.isfinite(flat)]
        if 0 < finite.size < flat.size:
            return True
        flat = finite
    return flat.size > 0 and bool(flat.min() != flat.max())


def _meaning(values: npt.NDArray[Any], notes: list[Message]) -> tuple[Meaning, npt.NDArray[Any]]:
    """Whether the band holds amplitude, power or dB; signed dB × 100 or × 10 made dB."""
    kind = values.dtype.kind
    if kind == "b":
        return "amplitude", values.astype(np.uint8)
    if kind == "u":
        return "amplitude", values
    sample = values.ravel()[:: max(1, values.size // _PERCENTILE_SAMPLE)]
    with np.errstate(all="ignore"):
        finite = sample[np.isfinite(sample)] if kind == "f" else sample
        finite = finite[finite != 0]
        negative = finite[finite < 0]
    mostly_negative = finite.size > 0 and negative.size > finite.size // 2
    if kind == "f":
        return ("db" if mostly_negative else "power"), values
    if not mostly_negative:
        return "amplitude", values
    typical = float(np.median(np.abs(negative)))
    scale = 100.0 if typical >= 150 else 10.0 if typical >= 15 else 1.0
    notes.append(
        say("warn.decibels_scaled", scale=f"{scale:.0f}") if scale != 1.0 else say("warn.decibels")
    )
    return "db", (values.astype(np.float32) / np.float32(scale))


def _colour(values: npt.NDArray[Any], alpha: bool, notes: list[Message]) -> Image.Image:
    """Stretch 16/32-bit or float RGB(A) (bands first) to 8-bit RGB, alpha over black.

    8-bit colour (with extra samples Pillow cannot read) is taken as it is.
    """
    if values.dtype == np.uint8:
        return Image.fromarray(np.ascontiguousarray(np.moveaxis(values[:3], 0, -1)), "RGB")
    rgb = values[:3].astype(np.float32)
    finite = np.isfinite(rgb)
    sample = rgb[finite][:: max(1, rgb.size // _PERCENTILE_SAMPLE)]
    if sample.size == 0:
        out = np.zeros(rgb.shape, dtype=np.uint8)
    else:
        # Without a black offset when nothing is negative, as the engines read amplitude:
        # an offset would turn every ratio, and calm sea into dark "oil".
        lo, hi = (float(v) for v in np.percentile(sample, [1.0, 99.0]))
        lo = min(lo, 0.0) if float(sample.min()) < 0 else 0.0
        if hi <= lo:
            lo, hi = float(sample.min()), float(sample.max())
        gain = 255.0 / (hi - lo) if hi > lo else 0.0
        scaled = np.where(finite, (rgb - np.float32(lo)) * np.float32(gain) + 0.5, 0.0)
        out = np.clip(scaled, 0, 255).astype(np.uint8)
        notes.append(say("warn.colour_stretched", low=f"{lo:.6g}", high=f"{hi:.6g}"))
    if alpha and values.shape[0] >= 4:
        opacity = values[3].astype(np.float32)
        top = float(np.nanmax(opacity)) if opacity.size else 0.0
        if top > 0:
            out = (out * np.clip(opacity / np.float32(top), 0, 1)).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(np.moveaxis(out, 0, -1)), mode="RGB")


def _nodata(page: Any) -> float | None:
    tag = page.tags.get(_GDAL_NODATA_TAG)
    if tag is None:
        return None
    try:
        return float(str(tag.value).strip().strip("\x00"))
    except ValueError:
        return None


def _descriptions(page: Any) -> dict[int, str]:
    """Band names from GDAL's metadata (``VV``, ``VH``...), by 0-based band."""
    tag = page.tags.get(_GDAL_METADATA_TAG)
    if tag is None:
        return {}
    return {int(index): name.strip() for index, name in _DESCRIPTION.findall(str(tag.value))}


def _pillow_decompress(compression: int) -> Callable[..., bytes]:
    """A tifffile decompressor for ``compression`` that runs Pillow's libtiff decoder.

    tifffile hands over one chunk's compressed bytes and the decoded size; the chunk is
    wrapped as the single strip of a one-row 8-bit TIFF, which libtiff decodes exactly
    (predictors are undone by tifffile afterwards, so the bytes are what was compressed).
    """

    def decompress(data: bytes, *, out: Any = None) -> bytes:
        if not isinstance(out, int) or out <= 0:
            raise ValueError("the decoded size of a chunk is unknown")
        if out > _MAX_PILLOW_CHUNK:
            raise ValueError(f"a compressed chunk of {out:,} bytes is too large to decode")
        entries = (
            (256, 4, out),  # width
            (257, 4, 1),  # height
            (258, 3, 8),  # bits per sample
            (259, 3, compression),
            (262, 3, _MINISBLACK),
            (273, 4, 0),  # strip offset, filled in below
            (277, 3, 1),  # samples per pixel
            (278, 4, 1),  # rows per strip
            (279, 4, len(data)),  # strip byte count
        )
        start = 8 + 2 + 12 * len(entries) + 4
        header = bytearray(b"II*\x00" + struct.pack("<IH", 8, len(entries)))
        for tag, kind, given in entries:
            value = start if tag == 273 else given
            packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
            header += struct.pack("<HHI", tag, kind, 1) + packed
        header += struct.pack("<I", 0)
        with Image.open(io.BytesIO(bytes(header) + bytes(data))) as strip:
            strip.load()
            decoded = strip.tobytes()
        if len(decoded) != out:
            raise ValueError(f"a chunk decoded to {len(decoded)} bytes, not {out}")
        return decoded

    return decompress


def _float_predictor_decode(data: npt.NDArray[Any], axis: int = -2, out: Any = None) -> Any:
    """Undo TIFF's floating-point predictor (Adobe's Technical Note 3), as GDAL writes it
    with ``PREDICTOR=3``: per row, the bytes of all values are laid out most significant
    first, plane by plane, and each byte is stored as the difference from the one before.

    ``data`` holds a chunk's rows along ``axis`` -2 (samples last) with the file's bytes as
    they are in memory, which holds when the file's byte order is the machine's; others
    are refused before decoding (:func:`read_tiff_band`).
    """
    if axis != -2:
        raise ValueError(f"the floating-point predictor along axis {axis} is not supported")
    shape, itemsize = data.shape, data.dtype.itemsize
    count = shape[-2] * shape[-1]
    raw = np.ascontiguousarray(data).view(np.uint8).reshape(-1, count * itemsize)
    raw = np.cumsum(raw, axis=1, dtype=np.uint8)  # wraps modulo 256, as the encoder did
    planes = raw.reshape(-1, itemsize, count).transpose(0, 2, 1)
    values = np.ascontiguousarray(planes).view(data.dtype.newbyteorder(">"))
    result = values.reshape(shape).astype(data.dtype)
    del out  # tifffile uses what is returned; its buffer may be read-only
    return result


def _lend_pillow_codecs() -> None:
    """Give tifffile Pillow's LZW and ZSTD decoders, and a numpy floating-point predictor,
    when imagecodecs is not installed.

    tifffile keeps its decoders in tables it fills on first use; without imagecodecs it
    has no LZW and no floating-point predictor, and its ZSTD needs Python 3.14's
    ``compression.zstd``. Ours are pure functions, the same for every thread, so setting
    them once at import is safe.
    """
    try:
        import imagecodecs  # noqa: F401
    except ImportError:
        table = getattr(tifffile.TIFF.DECOMPRESSORS, "_codecs", None)
        if isinstance(table, dict):
            for code in _PILLOW_CODECS:
                table[code] = _pillow_decompress(code)
        predictors = getattr(tifffile.TIFF.UNPREDICTORS, "_codecs", None)
        if isinstance(predictors, dict):
            predictors[_FLOAT_PREDICTOR] = _float_predictor_decode


_lend_pillow_codecs()
