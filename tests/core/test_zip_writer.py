"""The results zip writer: valid for zipfile and unzip, zip64 when needed, flat memory."""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import subprocess
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from oilspill_desktop.core.results import zip_writer
from oilspill_desktop.core.results.zip_writer import ZipWriter, dos_date_time

UNZIP = shutil.which("unzip")


def unzip_test(path: Path) -> None:
    """``unzip -t`` must find every entry intact (skipped where unzip is not installed)."""
    if UNZIP is None:
        return
    result = subprocess.run(
        [UNZIP, "-t", str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors detected" in result.stdout


def files(tmp_path: Path, sizes: dict[str, int]) -> dict[str, bytes]:
    rng = random.Random(7)
    made = {}
    for name, size in sizes.items():
        data = rng.randbytes(size)
        (tmp_path / name).write_bytes(data)
        made[name] = data
    return made


def central_records(data: bytes) -> list[tuple[int, bytes]]:
    """(version needed, extra field) of each central-directory record, in order."""
    found = []
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        needed, name_len, extra_len = (
            struct.unpack_from("<H", data, at + 6)[0],
            *struct.unpack_from("<HH", data, at + 28),
        )
        extra = data[at + 46 + name_len : at + 46 + name_len + extra_len]
        found.append((needed, extra))
        at = data.find(b"PK\x01\x02", at + 46 + name_len + extra_len)
    return found


def test_files_and_streams_read_back_with_zipfile_and_unzip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zip_writer, "SMALL_FILE_BYTES", 1000)  # also take the streamed path
    sources = files(tmp_path, {"small.png": 10, "exact.png": 1000, "big.png": 5000, "0.png": 0})
    out = tmp_path / "out.zip"
    with out.open("wb") as raw, ZipWriter(raw) as bundle:
        for name in sources:
            bundle.write_file(tmp_path / name, f"masks/Снимки/{name}")
        with bundle.open_deflated("report.json") as stream:
            for index in range(2000):
                stream.write(f'{{"row": {index}, "path": "Каспий_{index}.png"}}\n'.encode())
        with bundle.open_deflated("empty.csv"):
            pass
        assert bundle.count == 6
    unzip_test(out)
    with zipfile.ZipFile(out) as reader:
        assert reader.testzip() is None
        infos = reader.infolist()
        assert [i.filename for i in infos] == [
            *(f"masks/Снимки/{name}" for name in sources),
            "report.json",
            "empty.csv",
        ]
        for name, data in sources.items():
            assert reader.read(f"masks/Снимки/{name}") == data
        text = reader.read("report.json").decode()
        assert text.count("\n") == 2000 and "Каспий_1999.png" in text
        assert reader.read("empty.csv") == b""
        assert [i.compress_type for i in infos] == [zipfile.ZIP_STORED] * 4 + [
            zipfile.ZIP_DEFLATED
        ] * 2
        assert infos[0].flag_bits & 0x800  # a UTF-8 name says so
        assert infos[0].external_attr >> 16 == 0o100644
    # Nothing needed zip64 in the directory: only the streamed entries reserve it locally.
    needed = [version for version, _extra in central_records(out.read_bytes())]
    assert needed == [20, 20, 20, 20, 45, 45]


def test_zip64_for_sizes_and_offsets_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zip_writer, "ZIP64_LIMIT", 300)
    sources = files(tmp_path, {"a.png": 100, "b.png": 500, "c.png": 50})
    out = tmp_path / "out.zip"
    with out.open("wb") as raw, ZipWriter(raw) as bundle:
        for name in sources:
            bundle.write_file(tmp_path / name, name)
        with bundle.open_deflated("report.csv") as stream:
            stream.write(b"x" * 1000)
    data = out.read_bytes()
    records = central_records(data)
    # a.png: nothing large; b.png: both sizes; c.png: its offset; report.csv: its offset
    # and its unpacked size.
    assert [len(extra) - 4 if extra else 0 for _v, extra in records] == [0, 16, 8, 16]
    assert [version for version, _extra in records] == [20, 45, 45, 45]
    assert data[-22:-20] == b"PK"  # the end record
    assert struct.unpack_from("<L", data, len(data) - 6)[0] == 0xFFFFFFFF  # directory offset
    assert data.rfind(b"PK\x06\x06") > 0 and data.rfind(b"PK\x06\x07") > 0
    with zipfile.ZipFile(out) as reader:
        assert reader.testzip() is None
        assert {name: reader.read(name) for name in sources} == sources
        assert reader.read("report.csv") == b"x" * 1000
        assert reader.getinfo("c.png").header_offset > 300
    unzip_test(out)


def test_zip64_end_records_for_many_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zip_writer, "ZIP_COUNT_LIMIT", 5)
    (tmp_path / "one.png").write_bytes(b"\x89PNG one")
    out = tmp_path / "out.zip"
    with out.open("wb") as raw, ZipWriter(raw) as bundle:
        for index in range(8):
            bundle.write_file(tmp_path / "one.png", f"masks/{index}.png")
    data = out.read_bytes()
    entries_here, entries_total = struct.unpack_from("<HH", data, len(data) - 22 + 8)
    assert (entries_here, entries_total) == (0xFFFF, 0xFFFF)
    with zipfile.ZipFile(out) as reader:
        assert len(reader.infolist()) == 8
        assert reader.testzip() is None
    unzip_test(out)
    # Just below the limit no zip64 record is written.
    monkeypatch.setattr(zip_writer, "ZIP_COUNT_LIMIT", 9)
    small = tmp_path / "small.zip"
    with small.open("wb") as raw, ZipWriter(raw) as bundle:
        for index in range(8):
            bundle.write_file(tmp_path / "one.png", f"masks/{index}.png")
    assert b"PK\x06\x06" not in small.read_bytes()
    assert struct.unpack_from("<H", small.read_bytes(), small.stat().st_size - 22 + 10)[0] == 8


def test_a_zip_written_after_other_bytes_still_reads(tmp_path: Path) -> None:
    out = tmp_path / "out.zip"
    (tmp_path / "a.png").write_bytes(b"abc")
    with out.open("wb") as raw:
        raw.write(b"#!prefix\n" * 10)
        with ZipWriter(raw) as bundle:
            bundle.write_file(tmp_path / "a.png", "a.png")
    with zipfile.ZipFile(out) as reader:
        assert reader.read("a.png") == b"abc"


def test_memory_stays_flat_however_many_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zip_writer, "CENTRAL_SPOOL_BYTES", 32 * 1024)
    (tmp_path / "one.png").write_bytes(b"\x89PNG" + bytes(200))
    out = tmp_path / "out.zip"
    entries = 4000  # ~90 bytes of directory each: 360 KB, ten times the spool's memory
    with out.open("wb") as raw, ZipWriter(raw) as bundle:
        tracemalloc.start()
        try:
            for index in range(entries):
                bundle.write_file(tmp_path / "one.png", f"overlays/survey/scene_{index:05d}.png")
            kept, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert kept < 100 * 1024 and peak < 200 * 1024, (kept, peak)
    with zipfile.ZipFile(out) as reader:
        assert len(reader.namelist()) == entries
        assert reader.testzip() is None


def test_an_entry_must_end_before_the_next_and_a_closed_zip_takes_no_more(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.png").write_bytes(b"abc")
    raw = io.BytesIO()
    bundle = ZipWriter(raw)
    with bundle.open_deflated("r.json"), pytest.raises(ValueError, match="still being written"):
        bundle.write_file(tmp_path / "a.png", "a.png")
    bundle.close()
    bundle.close()  # twice is harmless
    with pytest.raises(ValueError, match="closed"):
        bundle.write_file(tmp_path / "a.png", "a.png")
    with zipfile.ZipFile(raw) as reader:
        assert reader.namelist() == ["r.json"]


def test_an_error_inside_leaves_the_zip_unfinished(tmp_path: Path) -> None:
    out = tmp_path / "out.zip"
    with out.open("wb") as raw, pytest.raises(FileNotFoundError), ZipWriter(raw) as bundle:
        bundle.write_file(tmp_path / "missing.png", "missing.png")
    assert b"PK\x05\x06" not in out.read_bytes()


def test_dos_dates_are_clamped_to_what_zip_can_hold() -> None:
    assert dos_date_time(0.0) == (33, 0)  # 1970 -> 1980-01-01 00:00:00
    far = time.mktime((2200, 1, 1, 0, 0, 0, 0, 1, -1))
    assert dos_date_time(far) == ((127 << 9) | (12 << 5) | 31, (23 << 11) | (59 << 5) | 29)
    stamp = time.mktime((2024, 5, 17, 13, 45, 31, 0, 1, -1))
    date, clock = dos_date_time(stamp)
    assert (date >> 9, (date >> 5) & 15, date & 31) == (44, 5, 17)
    assert (clock >> 11, (clock >> 5) & 63, (clock & 31) * 2) == (13, 45, 30)


def test_file_dates_come_from_the_files(tmp_path: Path) -> None:
    source = tmp_path / "a.png"
    source.write_bytes(b"abc")
    stamp = time.mktime((2021, 3, 4, 5, 6, 8, 0, 1, -1))
    os.utime(source, (stamp, stamp))
    raw = io.BytesIO()
    with ZipWriter(raw) as bundle:
        bundle.write_file(source, "a.png")
    with zipfile.ZipFile(raw) as reader:
        assert reader.getinfo("a.png").date_time == (2021, 3, 4, 5, 6, 8)
