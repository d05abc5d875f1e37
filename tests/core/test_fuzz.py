"""Fuzzing with hypothesis: hostile archives and hostile engine answers never crash the core.

What may come out of an archive, whatever its names, flags and bytes: an
:class:`InputError` for the archive, an :class:`ItemError` for a member, or data, and
output names that are relative, clean, unique on a case-blind disk and never climb out of
the results folder. Running the real pipeline on such archives writes nothing outside the
job's cache folder and the results zip. What may come out of an engine's answer, whatever
its bytes or pixels: an engine error, or a segmentation of exactly the source's size.

Bounded (150 examples a test, no deadline, no example database) so it runs in seconds on
every test run; set ``OILSPILL_FUZZ_EXAMPLES=5000`` locally to dig deeper.
"""

from __future__ import annotations

import io
import os
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from oilspill_desktop.core.config.paths import AppPaths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.engines import http_engine
from oilspill_desktop.core.engines.answers import interpret_answer
from oilspill_desktop.core.engines.classical import ClassicalEngine
from oilspill_desktop.core.errors import InputError, ItemError
from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.inputs.images import decode_image
from oilspill_desktop.core.inputs.names import assign_output_stems
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import JobRequest, prepare_job
from oilspill_desktop.core.model import Limits, Segmentation, SourceImage
from oilspill_desktop.core.results.overlay import render_overlay
from tests import hostile_archives as hostile

FUZZ = settings(
    max_examples=int(os.environ.get("OILSPILL_FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TIGHT = Limits(max_pixels=400, max_member_bytes=4096, max_compression_ratio=4.0)

# -- building blocks ------------------------------------------------------------------------

SAVE_MODES = {
    "PNG": ("1", "L", "LA", "P", "RGB", "RGBA", "I;16", "I;16B"),
    "JPEG": ("L", "RGB", "CMYK", "YCbCr"),
    "BMP": ("1", "L", "P", "RGB", "RGBA"),
    "TIFF": ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "CMYK", "YCbCr", "LAB", "I;16", "I", "F"),
}


def picture(mode: str, width: int, height: int, seed: int) -> Image.Image:
    """Random pixels in ``mode`` (any mode Pillow can hold, including zero-sized images)."""
    size = len(Image.new(mode, (width, height)).tobytes())
    raw = np.random.default_rng(seed).integers(0, 256, size, dtype=np.uint8).tobytes()
    return Image.frombytes(mode, (width, height), raw)  # "F": NaN and infinities too


@st.composite
def encoded_images(draw: st.DrawFn) -> bytes:
    """A small valid PNG, JPEG, BMP or TIFF of a random mode, size and content."""
    fmt = draw(st.sampled_from(sorted(SAVE_MODES)))
    mode = draw(st.sampled_from(SAVE_MODES[fmt]))
    width, height = draw(st.integers(1, 24)), draw(st.integers(1, 24))
    image = picture(mode, width, height, draw(st.integers(0, 2**16)))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[bytes]) -> bytes:
    """``base`` bytes cut short, with bytes flipped, or with junk spliced in."""
    data = bytearray(draw(base))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "flip", "splice"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "cut":
            del data[at:]
        elif kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


image_payloads = st.one_of(
    st.binary(max_size=256),
    encoded_images(),
    mutated(encoded_images()),
)

HOSTILE_NAMES = [
    b"../evil.png",
    b"../../etc/passwd.png",
    b"/abs/olute.png",
    b"\\windows\\style.png",
    b"C:\\drive.png",
    b"c:rel.png",
    b"a/../../b.png",
    b"./dot/./x.png",
    b"a//b.png",
    b"nul\x00byte.png",
    b"CON.png",
    b"aux.tif",
    b"trailing. .png",
    b".hidden.png",
    b"x" * 300 + b".png",
    "\u0430\u0431\u0432.png".encode(),
    "caf\u00e9.png".encode(),
    "cafe\u0301.png".encode(),
    "\u041f\u0440\u0438\u0432\u0435\u0442.png".encode("cp866"),
    b"dir/",
    b"A.PNG",
    b"a.png",
    b"a.png/b.png",
    b"stra\xc3\x9fe.png",
    b"strasse.png",
]
FOLDERS = ["a", "A", "..", ".", "", "b c", "\u00e9"]
SUFFIXES = [".png", ".PNG", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".txt", ".zip", "", "/"]


@st.composite
def member_names(draw: st.DrawFn) -> bytes:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(st.sampled_from(HOSTILE_NAMES))
    if choice == 1:
        return draw(st.binary(min_size=1, max_size=40))
    folders = draw(st.lists(st.sampled_from(FOLDERS), max_size=3))
    stem = draw(st.text(min_size=0, max_size=12))
    suffix = draw(st.sampled_from(SUFFIXES))
    name = "/".join([*folders, stem]) + suffix
    return name.encode("utf-8", errors="surrogatepass") or b"x"


@dataclass(frozen=True)
class Member:
    name: bytes
    data: bytes
    flags: int
    method: int | None


@st.composite
def members(draw: st.DrawFn) -> Member:
    flags = draw(st.one_of(st.just(0), st.sampled_from([0x1, 0x8, 0x20, 0x40, 0x800]),
                           st.integers(0, 0xFFFF)))  # fmt: skip
    method = draw(st.one_of(st.none(), st.sampled_from([0, 8, 9, 12, 14, 98, 99, 1234])))
    return Member(
        name=draw(member_names()),
        data=draw(image_payloads),
        flags=flags,
        method=method,
    )


def build_archive(path: Path, items: list[Member], as_text: bool, compression: int) -> Path:
    """Write the members, then patch their flags and methods straight into the headers.

    ``as_text`` names members through zipfile (UTF-8 flag where needed); otherwise the
    name bytes go into the headers as they are, without the flag.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we want
        if as_text:
            named = [(m.name.decode("utf-8", errors="replace"), m.data) for m in items]
            hostile.zip_with_members(path, named, compression=compression)
        else:
            hostile.raw_name_zip(path, [(m.name, m.data) for m in items], compression=compression)
    header_names = [e.name for e in hostile._entries(path.read_bytes())]
    for member, header_name in zip(items, header_names, strict=True):
        if member.flags:
            hostile.set_flag_bits(path, header_name, member.flags)
        if member.method is not None:
            hostile.set_method(path, header_name, member.method)
    return path


IMAGE_SUFFIXES = [".png", ".PNG", ".jpg", ".JPEG", ".tif", ".bmp"]
ODD_STEMS = ["", ".", "..", "CON", "a.", " x ", "..png", "A", "a", "a" * 150, "x:y*z?"]


@st.composite
def image_names(draw: st.DrawFn) -> bytes:
    """Names that are listed as images, in odd folders and with odd stems."""
    folders = draw(st.lists(st.sampled_from(FOLDERS), max_size=3))
    stem = draw(st.sampled_from(ODD_STEMS) | st.text(max_size=10))
    name = "/".join([*folders, stem]) + draw(st.sampled_from(IMAGE_SUFFIXES))
    return name.encode("utf-8", errors="surrogatepass")


@st.composite
def processable_members(draw: st.DrawFn) -> Member:
    """Mostly readable images under hostile or colliding names: they reach the engine."""
    name = draw(image_names() | st.sampled_from(HOSTILE_NAMES))
    data = draw(st.one_of(encoded_images(), encoded_images(), image_payloads))
    return Member(name=name, data=data, flags=draw(st.sampled_from([0, 0, 0, 0x8])), method=None)


compressions = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
archives = st.tuples(st.lists(members(), min_size=1, max_size=6), st.booleans(), compressions)
pipeline_archives = st.tuples(
    st.lists(processable_members(), min_size=1, max_size=6), st.booleans(), compressions
)


# -- properties of output names -------------------------------------------------------------


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def check_stems(stems: list[str]) -> None:
    """Relative, clean, portable, unique on a case-blind disk, clear of each other's folders."""
    for stem in stems:
        assert stem, stems
        assert not stem.startswith("/") and "\\" not in stem and ":" not in stem, stem
        assert "\x00" not in stem and all(ord(c) >= 32 for c in stem), repr(stem)
        parts = stem.split("/")
        assert all(p not in ("", ".", "..") for p in parts), stem
        assert all(not p.endswith((".", " ")) for p in parts), stem
        assert all(len(p.encode("utf-8")) <= 200 for p in parts), stem
        assert PurePosixPath("masks", stem + ".png").parts[0] == "masks"
        resolved = os.path.normpath(os.path.join("/root/masks", stem + ".png"))
        assert resolved.startswith("/root/masks/"), stem
    keys = [_key(s) for s in stems]
    assert len(set(keys)) == len(keys), stems
    folders = {_key("/".join(s.split("/")[:i])) for s in stems for i in range(1, s.count("/") + 1)}
    for stem in stems:
        for ext in (".png", ".jpg"):
            assert _key(stem + ext) not in folders, (stem, stems)


@FUZZ
@given(st.lists(st.text(max_size=30), max_size=12))
def test_output_stems_of_any_names_are_safe_and_unique(paths: list[str]) -> None:
    stems = assign_output_stems(paths)
    assert len(stems) == len(paths)
    check_stems(stems)


@FUZZ
@given(
    st.lists(
        st.sampled_from([n.decode("utf-8", errors="replace") for n in HOSTILE_NAMES])
        | st.text(alphabet="aAbB./\\ .-_\u00e9\u0301\u00df", max_size=12),
        max_size=16,
    )
)
def test_output_stems_of_colliding_names_are_safe_and_unique(paths: list[str]) -> None:
    check_stems(assign_output_stems(paths))


# -- archives ---------------------------------------------------------------------------------


@FUZZ
@given(archives, st.sampled_from([Limits(), TIGHT]), st.sampled_from(["auto", "cp866"]))
def test_any_archive_lists_and_reads_with_only_our_errors(
    archive_spec: tuple[list[Member], bool, int], limits: Limits, encoding: str
) -> None:
    items, as_text, compression = archive_spec
    with tempfile.TemporaryDirectory() as folder:
        path = build_archive(Path(folder) / "fuzz.zip", items, as_text, compression)
        try:
            archive = InputArchive(path, limits, encoding)
        except InputError as error:
            event("the archive was refused")
            assert str(error).endswith("."), str(error)
            return
        with archive:
            assert len(archive.members) <= len(items)
            check_stems([m.output_stem for m in archive.images])
            for member in archive.members:
                assert (member.kind == "image") == (member.reason is None)
                if member.kind == "skipped":
                    assert member.output_stem == ""
                    continue
                try:
                    data = archive.read(member, CancelToken())
                    assert len(data) <= limits.max_member_bytes
                    source = decode_image(data, member.path, limits)
                except ItemError as error:
                    event("a member failed")
                    assert str(error), member
                    continue
                event("a member decoded")
                check_source(source, limits)


@pytest.mark.parametrize("raw", [b"\x00", b"\x00hidden.png"])
def test_a_member_whose_name_starts_with_nul_is_skipped(tmp_path: Path, raw: bytes) -> None:
    path = hostile.raw_name_zip(tmp_path / "nul.zip", [(raw, b"data"), (b"ok.png", b"x")])
    with InputArchive(path, Limits()) as archive:
        assert [m.kind for m in archive.members] == ["skipped", "image"]
        assert archive.members[0].reason == "unsafe name: contains a NUL character"


def test_a_member_claiming_lzma_fails_as_an_item(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "lzma.zip", {"a.png": bytes(5)}, compression=0)
    hostile.set_method(path, "a.png", 14)
    with InputArchive(path, Limits()) as archive, pytest.raises(ItemError, match="damaged"):
        archive.read(archive.images[0])


def check_source(source: SourceImage, limits: Limits) -> None:
    assert source.pixels.mode in ("L", "RGB")
    assert 0 < source.width * source.height <= limits.max_pixels


@FUZZ
@given(image_payloads, st.sampled_from([Limits(), TIGHT]))
def test_any_member_bytes_decode_or_fail_as_an_item(data: bytes, limits: Limits) -> None:
    try:
        source = decode_image(data, "member.png", limits)
    except ItemError as error:
        assert str(error).endswith("."), str(error)
        return
    check_source(source, limits)


def builtin(_settings: Settings) -> ClassicalEngine:
    return ClassicalEngine()


def snapshot(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 6))
@given(pipeline_archives)
def test_the_real_pipeline_writes_only_into_its_job_folder_and_the_results_zip(
    archive_spec: tuple[list[Member], bool, int],
) -> None:
    items, as_text, compression = archive_spec
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        inputs, home = base / "in" / "deep", base / "home"
        inputs.mkdir(parents=True)
        (base / "sentinel.txt").write_text("outside")
        source = build_archive(inputs / "fuzz.zip", items, as_text, compression)
        paths = AppPaths(home / "config", home / "data", home / "cache", home / "logs").ensure()
        before = snapshot(base)
        request = JobRequest(source, Settings(), paths)
        try:
            job = prepare_job(request, CancelToken(), engine_factory=lambda _s: ClassicalEngine())
        except InputError:
            assert snapshot(base) - before <= {
                p for p in snapshot(base) if paths.jobs_dir in p.parents
            }
            return
        try:
            for member in job.pending:
                job.process(member, CancelToken())
            results = job.finish()
            event("some images ok" if any(r.mask for r in job.records.values()) else "none ok")
        finally:
            job.close()
        created = snapshot(base) - before
        outside = {p for p in created if job.workspace.root not in p.parents and p != results}
        assert not outside, sorted(map(str, outside))
        assert results.parent == inputs
        assert snapshot(base) >= before  # nothing was removed or replaced
        assert (base / "sentinel.txt").read_text() == "outside"
        with zipfile.ZipFile(results) as bundle:
            assert bundle.testzip() is None
            for name in bundle.namelist():
                parts = PurePosixPath(name).parts
                assert not name.startswith("/") and ".." not in parts and "\\" not in name
                assert parts[0] in (
                    "masks",
                    "overlays",
                    "thumbnails",
                    "report.json",
                    "report.csv",
                    "report.html",
                ), name


# -- engine answers ---------------------------------------------------------------------------

ANSWER_MODES = (
    "1", "L", "P", "PA", "LA", "La", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr", "LAB",
    "HSV", "I", "I;16", "I;16B", "I;16L", "F",
)  # fmt: skip
ANSWER_FORMATS = ("PNG", "JPEG", "BMP", "TIFF", "GIF", "WEBP", "PPM", "TGA", "ICO")


@st.composite
def answer_pictures(draw: st.DrawFn) -> Image.Image:
    mode = draw(st.sampled_from(ANSWER_MODES))
    width, height = draw(st.integers(0, 20)), draw(st.integers(0, 20))
    return picture(mode, width, height, draw(st.integers(0, 2**16)))


@st.composite
def answer_bodies(draw: st.DrawFn) -> bytes:
    """Bytes an endpoint might send: pictures in many formats, whole, damaged or random."""
    image = draw(answer_pictures())
    fmt = draw(st.sampled_from(ANSWER_FORMATS))
    buffer = io.BytesIO()
    try:
        image.save(buffer, fmt)
    except (OSError, ValueError, KeyError, SystemError, MemoryError):
        buffer = io.BytesIO(draw(st.binary(max_size=200)))  # a mode this format cannot hold
    return buffer.getvalue()


def check_segmentation(seg: Segmentation, base: Image.Image) -> None:
    width, height = base.size
    assert seg.kind in ("mask", "classes", "overlay")
    if seg.kind == "overlay":
        assert seg.oil is None and seg.overlay_image is not None
        assert seg.overlay_image.size == (width, height)
    else:
        assert seg.oil is not None and seg.oil.shape == (height, width)
        assert seg.oil.dtype == np.bool_
        assert seg.mask_image is not None and seg.mask_image.size == (width, height)
    if seg.kind == "classes":
        assert seg.classes is not None and seg.classes.shape == (height, width)
    painted = render_overlay(base, seg)
    assert painted.size == (width, height) and painted.mode in ("L", "RGB")
    if painted.mode == "L":  # only a grey scene with nothing painted stays grey
        assert base.mode == "L" and seg.oil is not None and not seg.oil.any()
        assert seg.classes is None or not seg.classes.any()


source_sizes = st.tuples(st.integers(1, 24), st.integers(1, 24))


@FUZZ
@given(answer_pictures(), source_sizes)
def test_any_answer_picture_becomes_a_segmentation_of_the_source_size(
    answer: Image.Image, size: tuple[int, int]
) -> None:
    base = Image.new("L", size, 100)
    try:
        segmentation = interpret_answer(answer, *size)
    except ItemError:
        return
    check_segmentation(segmentation, base)


@pytest.fixture(scope="module")
def engine() -> http_engine.HttpEngine:
    """Only its answer decoder is used: nothing is ever sent."""
    return http_engine.HttpEngine("http://127.0.0.1:9/segment")


@FUZZ
@given(st.one_of(answer_bodies(), mutated(answer_bodies()), st.binary(max_size=300)), source_sizes)
def test_any_answer_body_is_a_picture_or_an_engine_error(
    engine: http_engine.HttpEngine, body: bytes, size: tuple[int, int]
) -> None:
    base = Image.new("RGB", size, (90, 90, 90))
    source = SourceImage("a.png", base, b"", "PNG", "image/png", True)
    try:
        with warnings.catch_warnings():
            # Outside tests Pillow's warnings about corrupt data are printed, not raised.
            warnings.simplefilter("ignore", UserWarning)
            answer = engine._decode(body, "200 OK", "image/png", source)
    except http_engine._AttemptError as failed:  # becomes the item's EndpointError
        assert failed.failure.detail and not failed.failure.retryable
        return
    try:
        segmentation = interpret_answer(answer, *size)
    except ItemError:
        return
    check_segmentation(segmentation, base)
