"""The compact central directory reads every zip exactly as zipfile does, and keeps less."""

from __future__ import annotations

import io
import random
import struct
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from oilspill_desktop.core.inputs.member_table import MemberList, MemberTable, StringPack
from oilspill_desktop.core.inputs.zip_directory import CentralDirectory, DirectoryZipFile
from oilspill_desktop.core.messages import say
from oilspill_desktop.core.model import ArchiveMember
from tests import hostile_archives as hostile

PNG = hostile.png_bytes(4, 3)


def info_fields(info: zipfile.ZipInfo) -> dict[str, object]:
    """Every slot zipfile sets on a ZipInfo it read (private ones too: open() uses them)."""
    fields: dict[str, object] = {}
    for klass in type(info).__mro__:
        for name in getattr(klass, "__slots__", ()):
            if hasattr(info, name):
                fields[name] = getattr(info, name)
    return fields


def outcome(
    read: Callable[[], Iterable[zipfile.ZipInfo]],
) -> tuple[str, str] | list[dict[str, object]]:
    """What reading a directory gave: every entry's fields, or the error raised."""
    try:
        infos = read()
    except Exception as error:  # whatever each side raises, compared by type and text
        return type(error).__name__, str(error)
    return [info_fields(info) for info in infos]


def assert_same_as_zipfile(data: bytes) -> None:
    expected = outcome(lambda: zipfile.ZipFile(io.BytesIO(data)).infolist())
    got = outcome(lambda: list(CentralDirectory.read(io.BytesIO(data))))
    assert got == expected


def archives(tmp_path: Path) -> dict[str, bytes]:
    """Zips of many shapes: plain, legacy names, Unicode path fields, zip64, prefixed, damaged."""
    made: dict[str, bytes] = {}
    made["plain"] = hostile.zip_with_members(
        tmp_path / "plain.zip", {"a.png": PNG, "Снимки/b.png": PNG, "dir/": b"", "t.txt": b"x"}
    ).read_bytes()
    made["cp866"] = hostile.cp866_zip(
        tmp_path / "cp866.zip", {"Снимки/Каспий.png": PNG}
    ).read_bytes()
    made["unicode extra"] = hostile.unicode_extra_zip(
        tmp_path / "ux.zip", "Море.png", PNG, header_name="Mope.png".encode("cp866")
    ).read_bytes()
    made["stale unicode extra"] = hostile.unicode_extra_zip(
        tmp_path / "ux2.zip",
        "Море.png",
        PNG,
        header_name="Мope.png".encode("cp866"),
        crc_matches=False,
    ).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for index in range(3):
            with bundle.open(f"z{index}.png", "w", force_zip64=True) as stream:
                stream.write(PNG)
        bundle.comment = b"a comment"
    made["zip64 entries"] = buffer.getvalue()
    made["prefixed (self-extracting)"] = b"MZ" + b"\0" * 500 + made["plain"]
    made["no names"] = hostile.zip_with_members(tmp_path / "empty.zip", {}).read_bytes()
    made["duplicate names"] = hostile.raw_name_zip(
        tmp_path / "dup.zip", [(b"a.png", PNG), (b"a.png", PNG[:-1])]
    ).read_bytes()
    plain = made["plain"]
    end = plain.rindex(b"PK\x05\x06")
    (cd_size, cd_offset) = struct.unpack_from("<LL", plain, end + 12)
    made["directory cut short"] = plain[: cd_offset + cd_size // 2] + plain[end:]
    made["bad magic"] = plain[:cd_offset] + b"XX" + plain[cd_offset + 2 :]
    made["bad extra field"] = _with_corrupt_extra(made["zip64 entries"])
    made["not a zip"] = PNG
    made["empty file"] = b""
    return made


def _with_corrupt_extra(data: bytes) -> bytes:
    """Claim a longer extra field than the entry has, in the first directory entry."""
    start = data.index(b"PK\x01\x02")
    name_len, extra_len = struct.unpack_from("<HH", data, start + 28)
    body = bytearray(data)
    tag_at = start + 46 + name_len
    struct.pack_into("<HH", body, tag_at, 0x0001, extra_len + 20)
    return bytes(body)


def test_every_shape_reads_exactly_as_zipfile_reads_it(tmp_path: Path) -> None:
    for name, data in archives(tmp_path).items():
        try:
            assert_same_as_zipfile(data)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None


def test_random_damage_reads_exactly_as_zipfile_reads_it(tmp_path: Path) -> None:
    rng = random.Random(1234)
    base = archives(tmp_path)
    sources = [base["plain"], base["zip64 entries"], base["cp866"], base["unicode extra"]]
    for _ in range(400):
        data = bytearray(rng.choice(sources))
        start = data.rfind(b"PK\x01\x02") if rng.random() < 0.7 else 0
        for _flip in range(rng.randint(1, 4)):
            at = rng.randrange(max(0, start - 60), len(data))
            data[at] = rng.randrange(256)
        assert_same_as_zipfile(bytes(data))


def test_members_open_with_the_rebuilt_infos(tmp_path: Path) -> None:
    data = archives(tmp_path)["zip64 entries"]
    with DirectoryZipFile(io.BytesIO(data)) as bundle:
        assert bundle.infolist() == []  # nothing per member is kept
        directory = bundle.directory
        assert len(directory) == 3
        assert [bundle.read(info) for info in directory] == [PNG] * 3
        assert [info.filename for info in directory[1:]] == ["z1.png", "z2.png"]
        assert bundle.comment == b"a comment"


def test_the_directory_keeps_a_few_bytes_per_entry_not_a_zipinfo() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as bundle:
        for index in range(5000):
            bundle.writestr(f"survey/{index // 1000:03d}/scene_{index:05d}.png", b"x")
    data = buffer.getvalue()
    tracemalloc.start()
    try:
        directory = CentralDirectory.read(io.BytesIO(data))
        kept, _peak = tracemalloc.get_traced_memory()
        assert directory[4999].filename == "survey/004/scene_04999.png"
    finally:
        tracemalloc.stop()
    # The directory's own bytes (~72 per entry here) plus at most 16 bytes of offsets.
    assert kept < 5000 * (72 + 16) + 64 * 1024


def test_string_pack_round_trips_any_text() -> None:
    texts = ["", "a.png", "Снимки/Каспий.png", "\ud800lone", "x" * 300, ""]
    pack = StringPack(texts)
    assert list(pack) == texts
    assert pack[-1] == "" and pack[-3] == "\ud800lone"
    assert pack[1:3] == texts[1:3]
    with pytest.raises(IndexError):
        pack[len(texts)]


def make_table() -> MemberTable:
    from array import array

    return MemberTable(
        indexes=array("q", [0, 2, 5]),
        paths=StringPack(["a.png", "notes.txt", "Снимки.png"]),
        sizes=array("q", [10, 20, 30]),
        compressed_sizes=array("q", [9, 19, 29]),
        stems=StringPack(["a", "", "Снимки"]),
        reasons={1: say("skip.not_image", suffix=".txt")},
        zip_names={2: "\x91\xad\xa8\xac\xaa\xa8.png"},
    )


def test_member_table_rows_become_members_on_demand() -> None:
    table = make_table()
    members = table.all()
    assert len(members) == 3 and table.skipped_count == 1
    assert members[2] == ArchiveMember(
        index=5,
        zip_name="\x91\xad\xa8\xac\xaa\xa8.png",
        path="Снимки.png",
        size=30,
        compressed_size=29,
        kind="image",
        output_stem="Снимки",
    )
    assert members[1].kind == "skipped" and members[1].reason == "not an image (.txt)"
    assert members[1].output_stem == "" and members[0].zip_name == "a.png"
    images = table.images()
    assert [m.index for m in images] == [0, 5]
    assert images == [members[0], members[2]] and images != members
    assert images * 2 == [*images, *images] and len(images + members) == 5
    assert images[:1] == [members[0]]
    assert MemberList(table, []) == [] and members != "abc"
