"""Deflate64 members (Windows Explorer's big zips) are read, under the same limits."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from oilspill_desktop.core.errors import ItemError, LimitExceeded
from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.model import Limits, MiB
from tests import hostile_archives as hostile

FIXTURE = Path(__file__).parent.parent / "data" / "deflate64_7zip.zip"
PAYLOAD = np.random.default_rng(9).integers(0, 40, 300_000, dtype=np.uint8).tobytes()


def test_a_zip_made_by_7zip_with_deflate64_is_read(tmp_path: Path) -> None:
    copy = shutil.copy(FIXTURE, tmp_path / "in.zip")
    with zipfile.ZipFile(copy) as plain:
        methods = {info.filename: info.compress_type for info in plain.infolist()}
        assert methods["survey/scene1.bmp"] == 9  # it really is Deflate64
    with InputArchive(Path(copy), Limits()) as archive:
        assert [m.path for m in archive.images] == ["survey/scene1.bmp", "survey/scene2.bmp"]
        for member in archive.images:
            data = archive.read(member)
            assert len(data) == member.size
            assert data.startswith(b"BM")


def test_members_round_trip_and_other_members_are_unaffected(tmp_path: Path) -> None:
    path = hostile.deflate64_zip(tmp_path / "in.zip", {"a.png": PAYLOAD, "b.png": b"small"})
    with InputArchive(path, Limits()) as archive:
        assert [archive.read(m) for m in archive.images] == [PAYLOAD, b"small"]


def test_a_bad_crc_is_damage(tmp_path: Path) -> None:
    path = hostile.deflate64_zip(tmp_path / "in.zip", {"a.png": PAYLOAD})
    hostile.corrupt_crc(path, "a.png")
    with InputArchive(path, Limits()) as archive, pytest.raises(ItemError, match=r"CRC error"):
        archive.read(archive.images[0])


def test_corrupt_data_is_damage(tmp_path: Path) -> None:
    path = hostile.deflate64_zip(tmp_path / "in.zip", {"a.png": PAYLOAD})
    hostile.corrupt_data(path, "a.png")
    with InputArchive(path, Limits()) as archive, pytest.raises(ItemError, match="damaged"):
        archive.read(archive.images[0])


def test_the_ratio_limit_holds_from_the_headers(tmp_path: Path) -> None:
    path = hostile.deflate64_zip(tmp_path / "in.zip", {"a.png": bytes(8 * MiB)})
    with (
        InputArchive(path, Limits()) as archive,
        pytest.raises(LimitExceeded, match="looks like a zip bomb"),
    ):
        archive.read(archive.images[0])


def test_lying_headers_are_caught_while_unpacking(tmp_path: Path) -> None:
    path = hostile.deflate64_zip(tmp_path / "in.zip", {"a.png": bytes(8 * MiB)})
    hostile.set_declared_size(path, "a.png", 1000)
    with (
        InputArchive(path, Limits()) as archive,
        pytest.raises(LimitExceeded, match="looks like a zip bomb"),
    ):
        archive.read(archive.images[0])
    limits = Limits(max_member_bytes=2 * MiB, max_compression_ratio=1e9)
    with (
        InputArchive(path, limits) as archive,
        pytest.raises(LimitExceeded, match=r"more than 2\.0 MB, above the limit"),
    ):
        archive.read(archive.images[0])


def test_a_stream_cut_short_is_truncation(tmp_path: Path) -> None:
    path = hostile.deflate64_zip(tmp_path / "in.zip", {"a.png": PAYLOAD}, cut=True)
    with InputArchive(path, Limits()) as archive, pytest.raises(ItemError, match="cut short"):
        archive.read(archive.images[0])


def test_a_bad_local_header_is_damage(tmp_path: Path) -> None:
    path = hostile.deflate64_zip(tmp_path / "in.zip", {"a.png": PAYLOAD})
    blob = bytearray(path.read_bytes())
    blob[0:4] = b"XXXX"  # the first member's local header signature
    path.write_bytes(bytes(blob))
    with InputArchive(path, Limits()) as archive, pytest.raises(ItemError, match="local header"):
        archive.read(archive.images[0])
