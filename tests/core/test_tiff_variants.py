"""Every TIFF variant field staff receive decodes to the numbers written, or is refused.

Each variant is written by tifffile (LZW and ZSTD strips compressed by Pillow's libtiff,
since tifffile writes neither without imagecodecs) from one synthetic SAR scene with
painted slicks; the test checks the decoded band against what was written, that the
8-bit picture is not black, and that the default engine (the bundled model) finds the
slicks.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import tifffile
from PIL import Image

from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.engines.classical import ClassicalEngine, read_physical_amplitude
from oilspill_desktop.core.engines.factory import create_engine
from oilspill_desktop.core.engines.protocol import Engine
from oilspill_desktop.core.errors import ItemError
from oilspill_desktop.core.inputs.images import decode_image
from oilspill_desktop.core.inputs.tiff_bands import read_tiff_band, tiff_layout
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.messages import Message
from oilspill_desktop.core.model import Limits
from oilspill_desktop.tools.synthetic import synthetic_scene


def texts(messages: list[Message]) -> list[str]:
    """Warnings as the report writes them."""
    return [message.text for message in messages]


SIZE = 256
SCENE = synthetic_scene(SIZE, SIZE, seed=61, slicks=2, dtype="float32")
POWER = np.asarray(SCENE.image, dtype=np.float32)
AMPLITUDE = np.sqrt(POWER)
GDAL_BANDS = (
    '<GDALMetadata><Item name="DESCRIPTION" sample="0" role="description">VV</Item>'
    '<Item name="DESCRIPTION" sample="1" role="description">VH</Item></GDALMetadata>'
)


def _pillow_compress(data: Any, codec: str) -> bytes:
    """One chunk compressed by Pillow's libtiff: the strip of a one-row 8-bit TIFF."""
    raw = data.tobytes() if isinstance(data, np.ndarray) else bytes(data)
    buffer = io.BytesIO()
    Image.frombytes("L", (len(raw), 1), raw).save(buffer, "TIFF", compression=codec)
    with tifffile.TiffFile(io.BytesIO(buffer.getvalue())) as tif:
        page = tif.pages.first
        start = page.dataoffsets[0]
        return buffer.getvalue()[start : start + page.databytecounts[0]]


def _float_predictor_encode(data: npt.NDArray[Any], axis: int = -2, out: Any = None) -> Any:
    """TIFF's floating-point predictor (Technical Note 3), as GDAL's PREDICTOR=3 writes it:
    per row, big-endian bytes laid out plane by plane, each minus the byte before."""
    assert axis == -2 and out is None
    shape, size = data.shape, data.dtype.itemsize
    count = shape[-2] * shape[-1]
    big = np.ascontiguousarray(data.astype(data.dtype.newbyteorder(">")))
    planes = (
        big.view(np.uint8).reshape(-1, count, size).transpose(0, 2, 1).reshape(-1, count * size)
    )
    encoded = planes.copy()
    encoded[:, 1:] = planes[:, 1:] - planes[:, :-1]  # modulo 256
    return encoded.view(data.dtype).reshape(shape)


@pytest.fixture(autouse=True)
def _pillow_encoders(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let tifffile write LZW and ZSTD strips through Pillow, and the floating-point
    predictor in numpy, for these tests only."""
    table = dict(tifffile.TIFF.COMPRESSORS._codecs)
    table[5] = lambda data, *args, **kwargs: _pillow_compress(data, "tiff_lzw")
    table[50000] = lambda data, *args, **kwargs: _pillow_compress(data, "zstd")
    monkeypatch.setattr(tifffile.TIFF.COMPRESSORS, "_codecs", table)
    predictors = {**tifffile.TIFF.PREDICTORS._codecs, 3: _float_predictor_encode}
    monkeypatch.setattr(tifffile.TIFF.PREDICTORS, "_codecs", predictors)
    yield


def test_the_float_predictor_encoder_of_these_tests_writes_what_libtiff_reads() -> None:
    """Pillow's libtiff decodes the predictor itself: the test's encoder is checked by it."""
    data = _tiff(POWER, compression="zlib", predictor=3, rowsperstrip=32)
    with tifffile.TiffFile(io.BytesIO(data)) as tif:
        assert tif.pages.first.predictor == 3
    with Image.open(io.BytesIO(data)) as image:
        np.testing.assert_array_equal(np.asarray(image), POWER)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    made = create_engine(Settings())
    yield made
    made.close()


def _tiff(array: npt.NDArray[Any], **options: Any) -> bytes:
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, array, **options)
    return buffer.getvalue()


def _db100() -> npt.NDArray[np.int16]:
    return np.rint(1000.0 * np.log10(POWER)).astype(np.int16)


def _complex(dtype: type[np.complexfloating[Any, Any]]) -> npt.NDArray[Any]:
    phase = np.random.default_rng(3).uniform(0, 2 * np.pi, POWER.shape)
    return (AMPLITUDE * np.exp(1j * phase)).astype(dtype)


def _rgb16(alpha: bool) -> npt.NDArray[np.uint16]:
    dn = np.clip(AMPLITUDE * 4000.0, 0, 4095).astype(np.uint16)  # 12-bit data in 16 bits
    planes = [dn, dn, dn] + ([np.full_like(dn, 65535)] if alpha else [])
    return np.stack(planes, axis=-1)


def _two_bands() -> npt.NDArray[np.float32]:
    cross = np.random.default_rng(4).gamma(4.0, 0.001 / 4.0, POWER.shape).astype(np.float32)
    return np.stack([POWER, cross])


# name: (file bytes, the band values the reader must return)
VARIANTS: dict[str, Callable[[], tuple[bytes, npt.NDArray[Any] | None]]] = {
    "int16 dB×100": lambda: (_tiff(_db100()), _db100() / np.float32(100)),
    "int32 dB×100": lambda: (
        _tiff(_db100().astype(np.int32)),
        _db100() / np.float32(100),
    ),
    "uint32 amplitude": lambda: (
        _tiff((AMPLITUDE * 1e7).astype(np.uint32)),
        (AMPLITUDE * 1e7).astype(np.uint32),
    ),
    "float64 power": lambda: (_tiff(POWER.astype(np.float64)), POWER.astype(np.float64)),
    "two-band float32 dB": lambda: (
        _tiff(10 * np.log10(_two_bands()), photometric="minisblack", planarconfig="separate"),
        10 * np.log10(POWER),
    ),
    "two-band float32 VV/VH": lambda: (
        _tiff(
            _two_bands(),
            photometric="minisblack",
            planarconfig="separate",
            extratags=[(42112, "s", 0, GDAL_BANDS)],
        ),
        POWER,
    ),
    "two-band float32 interleaved": lambda: (
        _tiff(np.moveaxis(_two_bands(), 0, -1), photometric="minisblack", planarconfig="contig"),
        POWER,
    ),
    "complex64": lambda: (_tiff(_complex(np.complex64)), np.abs(_complex(np.complex64)) ** 2),
    "complex128": lambda: (_tiff(_complex(np.complex128)), np.abs(_complex(np.complex128)) ** 2),
    "48-bit RGB": lambda: (_tiff(_rgb16(False), photometric="rgb"), None),
    "64-bit RGBA": lambda: (
        _tiff(_rgb16(True), photometric="rgb", extrasamples=["unassalpha"]),
        None,
    ),
    "int16 LZW striped": lambda: (
        _tiff(_db100(), compression="lzw", rowsperstrip=32),
        _db100() / np.float32(100),
    ),
    "int16 LZW predictor tiled": lambda: (
        _tiff(_db100(), compression="lzw", predictor=True, tile=(64, 64)),
        _db100() / np.float32(100),
    ),
    "int16 ZSTD": lambda: (_tiff(_db100(), compression="zstd"), _db100() / np.float32(100)),
    "int16 Deflate tiled BigTIFF": lambda: (
        _tiff(_db100(), compression="zlib", tile=(128, 128), bigtiff=True),
        _db100() / np.float32(100),
    ),
    "float64 LZMA": lambda: (_tiff(POWER.astype(np.float64), compression="lzma"), POWER),
    "float64 Deflate floating-point predictor": lambda: (
        _tiff(POWER.astype(np.float64), compression="zlib", predictor=3),
        POWER,
    ),
    "two-band float32 interleaved LZW floating-point predictor (GDAL)": lambda: (
        _tiff(
            np.moveaxis(_two_bands(), 0, -1),
            photometric="minisblack",
            planarconfig="contig",
            compression="lzw",
            predictor=3,
            tile=(64, 64),
        ),
        POWER,
    ),
}


def _iou(found: npt.NDArray[np.bool_], truth: npt.NDArray[np.bool_]) -> float:
    union = np.count_nonzero(found | truth)
    return np.count_nonzero(found & truth) / union if union else 1.0


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_each_variant_decodes_to_what_was_written_and_its_slicks_are_found(
    name: str, engine: Engine
) -> None:
    data, expected = VARIANTS[name]()
    layout = tiff_layout(data)
    assert layout is not None and not layout.pillow_reads_it
    band = read_tiff_band(data)
    if expected is None:
        assert band.colour is not None
    else:
        assert band.values is not None
        np.testing.assert_allclose(band.values, expected, rtol=1e-5)
    source = decode_image(data, f"{name}.tif", Limits())
    assert source.pixels.size == (SIZE, SIZE)
    grey = np.asarray(source.pixels.convert("L"), dtype=np.float64)
    sea, oil = grey[~SCENE.oil].mean(), grey[SCENE.oil].mean()
    assert sea > 60, f"{name}: the sea is {sea:.0f} of 255, too dark"
    assert oil < sea - 20, f"{name}: the slicks ({oil:.0f}) are not darker than sea ({sea:.0f})"
    found = np.asarray(engine.segment(source, CancelToken()).image) == 255
    assert _iou(found, SCENE.oil) >= 0.6, name


def _dn() -> npt.NDArray[np.uint16]:
    return np.clip(AMPLITUDE * 5000.0, 0, 65535).astype(np.uint16)


def _grey() -> npt.NDArray[np.uint8]:
    return np.clip(AMPLITUDE * (120.0 / np.median(AMPLITUDE)), 0, 255).astype(np.uint8)


def _jpeg_tiff(mode: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(_grey()).convert(mode).save(buffer, "TIFF", compression="jpeg", quality=95)
    return buffer.getvalue()


# Layouts Pillow reads exactly keep its path: name -> (file bytes, the values written, the
# mean error allowed: none, except JPEG's own loss).
PILLOW_VARIANTS: dict[str, Callable[[], tuple[bytes, npt.NDArray[Any], float]]] = {
    "uint16 LZW striped": lambda: (_tiff(_dn(), compression="lzw", rowsperstrip=16), _dn(), 0),
    "uint16 Deflate tiled BigTIFF": lambda: (
        _tiff(_dn(), compression="zlib", tile=(64, 64), bigtiff=True),
        _dn(),
        0,
    ),
    "float32 ZSTD tiled": lambda: (_tiff(POWER, compression="zstd", tile=(128, 128)), POWER, 0),
    "8-bit grey JPEG": lambda: (_jpeg_tiff("L"), _grey(), 4.0),
    "8-bit RGB JPEG": lambda: (_jpeg_tiff("RGB"), np.stack([_grey()] * 3, axis=-1), 4.0),
}


@pytest.mark.parametrize("name", sorted(PILLOW_VARIANTS))
def test_layouts_pillow_reads_exactly_keep_its_path(name: str, engine: Engine) -> None:
    data, written, error = PILLOW_VARIANTS[name]()
    layout = tiff_layout(data)
    assert layout is not None and layout.pillow_reads_it
    with Image.open(io.BytesIO(data)) as image:
        decoded = np.asarray(image, dtype=np.float64)
    assert decoded.shape == written.shape
    assert np.abs(decoded - written).mean() <= error
    source = decode_image(data, f"{name}.tif", Limits())
    grey = np.asarray(source.pixels.convert("L"), dtype=np.float64)
    assert grey[SCENE.oil].mean() < grey[~SCENE.oil].mean() - 20
    found = np.asarray(engine.segment(source, CancelToken()).image) == 255
    assert _iou(found, SCENE.oil) >= 0.6, name


def test_the_band_named_in_the_settings_is_used_and_reported() -> None:
    data, _ = VARIANTS["two-band float32 VV/VH"]()
    first = decode_image(data, "s.tif", Limits())
    assert "Band 1 (VV) of 2 was used." in texts(first.warnings)
    second = decode_image(data, "s.tif", Limits(band=2))
    assert "Band 2 (VH) of 2 was used." in texts(second.warnings)
    assert second.band == 2
    amplitude = read_physical_amplitude(second)[0]
    assert amplitude is not None
    # The engines re-read the same band the reader showed: VH's values, not VV's.
    ratio = amplitude / np.sqrt(_two_bands()[1])
    unclipped = amplitude < 255
    np.testing.assert_allclose(ratio[unclipped], ratio[unclipped].mean(), rtol=1e-4)
    missing = decode_image(data, "s.tif", Limits(band=3))
    missed = "The settings name band 3, but the image has 2; band 1 was used."
    assert missed in texts(missing.warnings)


def test_signed_decibels_are_segmented_by_the_classical_engine_too() -> None:
    data, _ = VARIANTS["int16 dB×100"]()
    source = decode_image(data, "s.tif", Limits())
    assert "The signed values were read as decibels × 100." in texts(source.warnings)
    found = np.asarray(ClassicalEngine().segment(source, CancelToken()).image) == 255
    assert _iou(found, SCENE.oil) >= 0.6


def test_signed_values_that_are_mostly_positive_are_amplitude() -> None:
    values = (AMPLITUDE * 3000).astype(np.int16)
    values[:4] = -5  # a few below the noise floor
    band = read_tiff_band(_tiff(values))
    assert band.meaning == "amplitude"
    np.testing.assert_array_equal(band.values, values)


@pytest.mark.parametrize(
    ("array", "options"),
    [
        (np.zeros((8, 8), np.uint8), {}),
        (np.zeros((8, 8, 3), np.uint8), {"photometric": "rgb"}),
        (np.zeros((8, 8), np.uint16), {}),
        (np.zeros((8, 8), np.float32), {}),
    ],
)
def test_pillow_keeps_the_layouts_it_reads_exactly(
    array: npt.NDArray[Any], options: dict[str, Any]
) -> None:
    layout = tiff_layout(_tiff(array, **options))
    assert layout is not None and layout.pillow_reads_it


def test_eight_bit_bands_pillow_misreads_are_read_by_tifffile() -> None:
    values = np.stack([np.full((6, 5), 40, np.uint8), np.full((6, 5), 200, np.uint8)], axis=-1)
    data = _tiff(values, photometric="minisblack", planarconfig="contig")
    source = decode_image(data, "s.tif", Limits())
    assert source.pixels.size == (5, 6)
    assert set(np.unique(np.asarray(source.pixels))) == {40}
    assert read_physical_amplitude(source) == (None, None)


def test_a_codec_that_cannot_be_decoded_is_refused_with_its_name() -> None:
    data = bytearray(_tiff(_db100(), compression="zlib"))
    with tifffile.TiffFile(io.BytesIO(bytes(data))) as tif:
        offset = tif.pages.first.tags["Compression"].valueoffset
    data[offset : offset + 2] = (7).to_bytes(2, "little")  # now claims JPEG
    with pytest.raises(ItemError, match="compressed with JPEG, which this program cannot decode"):
        decode_image(bytes(data), "s.tif", Limits())


def test_all_bands_must_fit_in_memory() -> None:
    data = _tiff(np.zeros((2, 40, 40), np.complex128), planarconfig="separate")
    with pytest.raises(ItemError, match="2 samples of 128 bits per pixel need"):
        decode_image(data, "s.tif", Limits(max_pixels=3_000))


def test_only_the_first_page_is_used_and_the_others_are_counted() -> None:
    buffer = io.BytesIO()
    with tifffile.TiffWriter(buffer) as tif:
        for divisor in (1, 2, 3):
            tif.write(_db100() // divisor, photometric="minisblack")
    data = buffer.getvalue()
    source = decode_image(data, "s.tif", Limits())
    assert "The TIFF holds 3 pages; only the first is used." in texts(source.warnings)
    band = read_tiff_band(data)
    assert band.values is not None
    np.testing.assert_allclose(band.values, _db100() / np.float32(100))


def test_the_other_byte_order_with_the_float_predictor_is_refused_not_misread() -> None:
    data = _tiff(POWER.astype(np.float64), compression="zlib", predictor=3, byteorder=">")
    with pytest.raises(ItemError, match="floating-point predictor is not supported"):
        decode_image(data, "s.tif", Limits())


def test_a_sixteen_bit_palette_is_shown_in_its_colours() -> None:
    indices = (np.arange(64 * 48) % 4).reshape(48, 64).astype(np.uint16)
    colormap = np.zeros((3, 65536), np.uint16)
    colormap[:, :4] = [[0, 65535, 0, 0], [0, 0, 65535, 0], [0, 0, 0, 65535]]
    source = decode_image(
        _tiff(indices, photometric="palette", colormap=colormap), "p.tif", Limits()
    )
    rgb = np.asarray(source.pixels)
    assert rgb.shape == (48, 64, 3)
    assert rgb[0, :4].tolist() == [[0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255]]
