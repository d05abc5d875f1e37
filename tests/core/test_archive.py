"""The input archive reader: listing, skipping, limits, damage and concurrent reads."""

from __future__ import annotations

import io
import os
import random
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZIP_STORED

import pytest

from oilspill_desktop.core.errors import Cancelled, InputError, ItemError, LimitExceeded
from oilspill_desktop.core.inputs.archive import InputArchive, format_size, read_limited
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.model import ArchiveMember, Limits
from tests import hostile_archives as hostile

MiB = 1024 * 1024
PNG = hostile.png_bytes(8, 6)


def by_path(archive: InputArchive) -> dict[str, ArchiveMember]:
    return {m.path: m for m in archive.members}


# ------------------------------------------------------------------ listing


def test_images_at_any_depth_and_any_case_are_listed_in_order(tmp_path: Path) -> None:
    path = hostile.zip_with_members(
        tmp_path / "in.zip",
        {
            "a.png": PNG,
            "deep/er/still/b.JPG": PNG,
            "c.Jpeg": PNG,
            "d.bmp": PNG,
            "e.TIF": PNG,
            "f.tiff": PNG,
        },
    )
    with InputArchive(path, Limits()) as archive:
        assert [m.path for m in archive.images] == [
            "a.png",
            "deep/er/still/b.JPG",
            "c.Jpeg",
            "d.bmp",
            "e.TIF",
            "f.tiff",
        ]
        assert [m.index for m in archive.images] == [0, 1, 2, 3, 4, 5]
        assert archive.images == archive.members
        assert all(m.kind == "image" and m.reason is None for m in archive.images)
        assert archive.images[1].output_stem == "deep/er/still/b"
        assert archive.images[0].size == len(PNG)
        assert archive.path == path


def test_os_litter_and_folders_are_not_listed(tmp_path: Path) -> None:
    path = hostile.zip_with_members(
        tmp_path / "in.zip",
        {
            "__MACOSX/._a.png": b"x",
            "__MACOSX/sub/b.png": PNG,
            "photos/._c.png": b"x",
            ".DS_Store": b"x",
            "photos/.ds_store": b"x",
            "photos/Thumbs.db": b"x",
            "photos/THUMBS.DB": b"x",
            "Desktop.ini": b"x",
            "photos/": b"",
            "photos/real.png": PNG,
        },
    )
    with InputArchive(path, Limits()) as archive:
        assert [m.path for m in archive.members] == ["photos/real.png"]
        assert archive.members[0].index == 9


def test_other_members_are_listed_as_skipped_with_a_reason(tmp_path: Path) -> None:
    path = hostile.zip_with_members(
        tmp_path / "in.zip",
        {
            "notes.txt": b"x",
            "scene.tfw": b"x",
            "README": b"x",
            "more.zip": b"PK",
            "older.rar": b"x",
            "pack.tar.gz": b"x",
            "anim.gif": b"x",
            "ok.png": PNG,
        },
    )
    with InputArchive(path, Limits()) as archive:
        reasons = {m.path: m.reason for m in archive.members if m.kind == "skipped"}
        assert reasons == {
            "notes.txt": "not an image (.txt)",
            "scene.tfw": "not an image (.tfw)",
            "README": "not an image (no extension)",
            "more.zip": "nested archive; unpack it and add it separately",
            "older.rar": "nested archive; unpack it and add it separately",
            "pack.tar.gz": "nested archive; unpack it and add it separately",
            "anim.gif": "unsupported image type (.gif); convert it to PNG, JPEG or TIFF",
        }
        assert [m.path for m in archive.images] == ["ok.png"]
        assert all(m.output_stem == "" for m in archive.members if m.kind == "skipped")


def test_unsafe_names_are_skipped_and_never_read(tmp_path: Path) -> None:
    path = hostile.zip_with_members(
        tmp_path / "in.zip",
        {
            "../evil.png": PNG,
            "a/../../evil2.png": PNG,
            "/abs.png": PNG,
            "C:/windows.png": PNG,
            "c:evil.png": PNG,
            "a\\b.png": PNG,
            "..\\win.png": PNG,
            "fine/..name.png": PNG,
        },
    )
    with InputArchive(path, Limits()) as archive:
        reasons = {m.path: m.reason for m in archive.members}
        assert reasons == {
            "../evil.png": "unsafe name: contains a '..' component",
            "a/../../evil2.png": "unsafe name: contains a '..' component",
            "/abs.png": "unsafe name: absolute path",
            "C:/windows.png": "unsafe name: absolute path",
            "c:evil.png": "unsafe name: absolute path",
            "a\\b.png": "unsafe name: contains a backslash",
            "..\\win.png": "unsafe name: contains a backslash",
            "fine/..name.png": None,  # ".." inside a name is not a component
        }
        evil = by_path(archive)["../evil.png"]
        with pytest.raises(ItemError, match=r"not read: unsafe name"):
            archive.read(evil)


def test_symbolic_links_are_skipped_and_never_read(tmp_path: Path) -> None:
    path = hostile.symlink_zip(tmp_path / "in.zip", "link.png", "/etc/passwd", **{"ok.png": PNG})
    with InputArchive(path, Limits()) as archive:
        link = by_path(archive)["link.png"]
        assert (link.kind, link.reason) == ("skipped", "symbolic link")
        assert [m.path for m in archive.images] == ["ok.png"]
        with pytest.raises(ItemError, match="symbolic link"):
            archive.read(link)


def test_encrypted_members_are_skipped(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "in.zip", {"secret.png": PNG, "open.png": PNG})
    hostile.set_encrypted_flag(path, "secret.png")
    with InputArchive(path, Limits()) as archive:
        secret = by_path(archive)["secret.png"]
        assert (secret.kind, secret.reason) == ("skipped", "password-protected")
        assert archive.read(by_path(archive)["open.png"]) == PNG


def test_cp866_names_are_listed_decoded_and_still_readable(tmp_path: Path) -> None:
    path = hostile.cp866_zip(
        tmp_path / "ru.zip", {"Снимки/Каспий_001.png": PNG, "Снимки/описание.txt": b"x"}
    )
    with InputArchive(path, Limits()) as archive:
        assert [m.path for m in archive.members] == ["Снимки/Каспий_001.png", "Снимки/описание.txt"]
        (image,) = archive.images
        assert image.output_stem == "Снимки/Каспий_001"
        assert image.zip_name != image.path  # zipfile's own (cp437) key
        assert archive.read(image) == PNG
        assert archive.members[1].reason == "not an image (.txt)"


def test_explicit_encoding_is_passed_on_and_unknown_ones_are_refused(tmp_path: Path) -> None:
    path = hostile.cp866_zip(tmp_path / "ru.zip", {"Снимки.png": PNG})
    with InputArchive(path, Limits(), encoding="cp437") as archive:
        assert archive.images[0].path == "æ¡¿¼¬¿.png"
    with pytest.raises(InputError, match="encoding “klingon” is not known"):
        InputArchive(path, Limits(), encoding="klingon")


def test_colliding_outputs_get_unique_stems(tmp_path: Path) -> None:
    path = hostile.zip_with_members(
        tmp_path / "in.zip", {"a/x.jpg": PNG, "a/x.png": PNG, "A/X.png": PNG, "notes.txt": b""}
    )
    with InputArchive(path, Limits()) as archive:
        assert [m.output_stem for m in archive.images] == ["a/x", "a/x_png", "A/X_2"]


def test_duplicate_names_are_both_listed_and_read_separately(tmp_path: Path) -> None:
    other = hostile.png_bytes(4, 4)
    path = hostile.raw_name_zip(tmp_path / "dup.zip", [(b"a.png", PNG), (b"a.png", other)])
    with InputArchive(path, Limits()) as archive:
        first, second = archive.images
        assert (first.path, second.path) == ("a.png", "a.png")
        assert (first.output_stem, second.output_stem) == ("a", "a_2")
        assert archive.read(first) == PNG
        assert archive.read(second) == other


def test_an_archive_without_images_is_not_an_error(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "in.zip", {"a.txt": b"x"})
    with InputArchive(path, Limits()) as archive:
        assert archive.images == []
        assert len(archive.members) == 1
    empty = hostile.zip_with_members(tmp_path / "empty.zip", {})
    with InputArchive(empty, Limits()) as archive:
        assert archive.members == [] and archive.images == []


# ------------------------------------------------------------ whole-file errors


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^The file “nope\.zip” does not exist\.$"):
        InputArchive(tmp_path / "nope.zip", Limits())


def test_a_folder_is_not_an_archive(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a zip archive"):
        InputArchive(tmp_path, Limits())


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "in.zip", {"a.png": PNG})
    path.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        InputArchive(path, Limits())


def test_renamed_png_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    path.write_bytes(PNG)
    with pytest.raises(InputError, match=r"^The file “photos\.zip” is a PNG image, not a zip"):
        InputArchive(path, Limits())


def test_empty_and_random_files_are_not_zips(tmp_path: Path) -> None:
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="is empty, not a zip archive"):
        InputArchive(empty, Limits())
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"hello world, no zip here" * 10)
    with pytest.raises(InputError, match=r"^The file “junk\.zip” is not a zip archive\.$"):
        InputArchive(junk, Limits())
    rar = tmp_path / "data.zip"
    rar.write_bytes(b"Rar!\x1a\x07\x01\x00" + bytes(40))
    with pytest.raises(InputError, match="is a RAR archive"):
        InputArchive(rar, Limits())


def test_truncated_zip_is_an_input_error(tmp_path: Path) -> None:
    full = hostile.zip_with_members(
        tmp_path / "full.zip", {f"{i}.png": os.urandom(20_000) for i in range(5)}
    )
    cut = hostile.truncated_copy(full, tmp_path / "cut.zip", 0.6)
    with pytest.raises(InputError, match=r"“cut\.zip” is truncated or damaged: .*missing"):
        InputArchive(cut, Limits())


def test_central_directory_cut_short_is_an_input_error(tmp_path: Path) -> None:
    full = hostile.zip_with_members(tmp_path / "full.zip", {f"{i}.png": PNG for i in range(5)})
    data = bytearray(full.read_bytes())
    # Keep the end record but claim a central directory longer than what is there.
    eocd = data.rfind(b"PK\x05\x06")
    cd_size = int.from_bytes(data[eocd + 12 : eocd + 16], "little")
    data[eocd + 12 : eocd + 16] = (cd_size + 40).to_bytes(4, "little")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bytes(data))
    with pytest.raises(InputError, match="truncated or damaged"):
        InputArchive(broken, Limits())


def test_name_flagged_utf8_that_is_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    path = hostile.raw_name_zip(tmp_path / "bad.zip", [(b"\xff\xfe.png", PNG)])
    hostile.set_flag_bits(path, b"\xff\xfe.png", 0x800)
    with pytest.raises(InputError, match="marked as UTF-8 that is not valid UTF-8"):
        InputArchive(path, Limits())


# ------------------------------------------------------------------- reading


def test_read_returns_the_exact_bytes(tmp_path: Path) -> None:
    payload = os.urandom(3 * MiB + 17)  # several chunks, incompressible
    path = hostile.zip_with_members(
        tmp_path / "in.zip", [("big.tif", payload), ("small.png", PNG)], compression=ZIP_DEFLATED
    )
    with InputArchive(path, Limits()) as archive:
        assert archive.read(archive.images[0]) == payload
        assert archive.read(archive.images[1]) == PNG


def test_concurrent_reads_from_eight_threads_give_the_right_bytes(tmp_path: Path) -> None:
    rng = random.Random(1)
    payloads = {
        f"dir{i % 3}/img{i:02d}.png": rng.randbytes(rng.randrange(1, 3 * MiB // 2))
        for i in range(16)
    }
    path = hostile.zip_with_members(tmp_path / "in.zip", payloads)
    jobs = [name for name in payloads for _ in range(3)]
    rng.shuffle(jobs)
    with InputArchive(path, Limits()) as archive:
        members = by_path(archive)
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda name: (name, archive.read(members[name])), jobs))
    assert len(results) == len(jobs)
    for name, data in results:
        assert data == payloads[name], name


def test_stored_members_read_concurrently_too(tmp_path: Path) -> None:
    payloads = {f"{i}.png": bytes([i]) * (MiB + i) for i in range(8)}
    path = hostile.zip_with_members(tmp_path / "in.zip", payloads, compression=ZIP_STORED)
    with InputArchive(path, Limits()) as archive, ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(archive.read, archive.images * 2))
    assert results == [payloads[m.path] for m in archive.images * 2]


def test_corrupt_crc_is_an_item_error(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "in.zip", {"a.png": PNG, "b.png": PNG})
    hostile.corrupt_crc(path, "a.png")
    with InputArchive(path, Limits()) as archive:
        with pytest.raises(ItemError, match=r"^The member is damaged: .*\(CRC error\)\.$"):
            archive.read(archive.images[0])
        assert archive.read(archive.images[1]) == PNG  # the others are unaffected


def test_corrupt_deflate_stream_is_an_item_error(tmp_path: Path) -> None:
    payload = bytes(range(256)) * 4000
    path = hostile.zip_with_members(tmp_path / "in.zip", {"a.png": payload})
    hostile.corrupt_data(path, "a.png")
    with InputArchive(path, Limits()) as archive, pytest.raises(ItemError, match="damaged"):
        archive.read(archive.images[0])


def test_unsupported_compression_method_is_an_item_error(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "in.zip", {"a.png": PNG})
    hostile.set_method(path, "a.png", 98)
    with InputArchive(path, Limits()) as archive, pytest.raises(ItemError, match="PPMd"):
        archive.read(archive.images[0])


def test_cancelled_token_stops_the_read(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "in.zip", {"a.png": PNG})
    token = CancelToken()
    token.cancel()
    with InputArchive(path, Limits()) as archive, pytest.raises(Cancelled):
        archive.read(archive.images[0], token)


def test_reading_after_close_is_an_item_error(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "in.zip", {"a.png": PNG})
    archive = InputArchive(path, Limits())
    archive.close()
    archive.close()  # twice is harmless
    with pytest.raises(ItemError, match="could not be read"):
        archive.read(archive.images[0])


def test_a_member_of_another_archive_is_refused(tmp_path: Path) -> None:
    one = hostile.zip_with_members(tmp_path / "one.zip", {"a.png": PNG})
    two = hostile.zip_with_members(tmp_path / "two.zip", {"b.png": PNG})
    with (
        InputArchive(one, Limits()) as first,
        InputArchive(two, Limits()) as second,
        pytest.raises(ItemError, match="does not belong"),
    ):
        first.read(second.images[0])


# -------------------------------------------------------------------- limits


@pytest.fixture(scope="module")
def zeros_300mb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = hostile.zeros_bomb_zip(tmp_path_factory.mktemp("bomb") / "bomb.zip", 300 * MiB)
    yield path


def test_300_mb_of_zeros_fails_fast_with_small_memory(zeros_300mb: Path) -> None:
    assert zeros_300mb.stat().st_size < 2 * MiB
    tracemalloc.start()
    try:
        with InputArchive(zeros_300mb, Limits()) as archive:
            (member,) = archive.images
            with pytest.raises(
                LimitExceeded,
                match=r"^The member is 300 MB once unpacked, above the 256 MB limit\.$",
            ):
                archive.read(member)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MiB


def test_bomb_by_compression_ratio(zeros_300mb: Path) -> None:
    limits = Limits(max_member_bytes=512 * MiB)  # size allowed: the ratio must catch it
    with (
        InputArchive(zeros_300mb, limits) as archive,
        pytest.raises(
            LimitExceeded, match=r"would unpack from 1\.3 MB to 300 MB \(a ratio of 229 to 1\)"
        ) as caught,
    ):
        archive.read(archive.images[0])
    assert "above the limit of 200 to 1; it looks like a zip bomb." in str(caught.value)


def test_small_bomb_by_ratio_and_small_flat_files_are_fine(tmp_path: Path) -> None:
    path = hostile.zip_with_members(
        tmp_path / "in.zip", {"bomb.png": bytes(8 * MiB), "flat.png": bytes(MiB)}
    )
    with InputArchive(path, Limits()) as archive:
        bomb, flat = archive.images
        assert flat.size / flat.compressed_size > 200
        assert archive.read(flat) == bytes(MiB)  # 1 MiB is below the ratio check
        with pytest.raises(LimitExceeded, match="zip bomb"):
            archive.read(bomb)


def test_member_over_the_size_limit(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "in.zip", {"a.tif": os.urandom(3 * MiB)})
    with (
        InputArchive(path, Limits(max_member_bytes=2 * MiB)) as archive,
        pytest.raises(LimitExceeded, match=r"is 3\.0 MB once unpacked, above the 2\.0 MB"),
    ):
        archive.read(archive.images[0])


def test_header_that_understates_the_size_never_yields_more(tmp_path: Path) -> None:
    payload = os.urandom(3 * MiB)
    path = hostile.zip_with_members(tmp_path / "in.zip", {"a.png": payload})
    hostile.set_declared_size(path, "a.png", MiB)
    with InputArchive(path, Limits(max_member_bytes=2 * MiB)) as archive:
        assert archive.images[0].size == MiB
        with pytest.raises(ItemError, match="CRC"):
            archive.read(archive.images[0])


def test_streaming_guard_stops_at_the_limit() -> None:
    stream = io.BytesIO(bytes(5 * MiB))
    with pytest.raises(LimitExceeded, match=r"more than 2\.0 MB, above the limit"):
        read_limited(stream, 2 * MiB, None, chunk_size=MiB)
    assert stream.tell() == 3 * MiB  # stopped right after passing the limit


def test_streaming_guard_checks_the_ratio_of_what_comes_out() -> None:
    stream = io.BytesIO(bytes(5 * MiB))
    with pytest.raises(LimitExceeded, match="times its compressed size"):
        read_limited(stream, 100 * MiB, None, compressed_size=1000, max_ratio=200.0)


def test_streaming_guard_honours_cancel_between_chunks() -> None:
    token = CancelToken()

    class CancelAfterFirstChunk(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            data = super().read(size)
            token.cancel()
            return data

    with pytest.raises(Cancelled):
        read_limited(CancelAfterFirstChunk(bytes(3 * MiB)), 10 * MiB, token, chunk_size=MiB)


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (340 * 1024, "340 KB"),
        (MiB, "1.0 MB"),
        (3 * MiB // 2, "1.5 MB"),
        (256 * MiB, "256 MB"),
        (310 * MiB, "310 MB"),
        (3 * 1024 * MiB, "3.0 GB"),
    ],
)
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text


def test_sizes_that_round_alike_are_shown_in_bytes(tmp_path: Path) -> None:
    path = hostile.zip_with_members(tmp_path / "in.zip", {"a.png": os.urandom(MiB + 100)})
    with (
        InputArchive(path, Limits(max_member_bytes=MiB + 10)) as archive,
        pytest.raises(LimitExceeded, match=r"is 1,048,676 bytes .* 1,048,586 bytes limit"),
    ):
        archive.read(archive.images[0])
