"""What a drop becomes (archives, packs, problems) and how images are packed; no widgets."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from oilspill_desktop.core.errors import Cancelled
from oilspill_desktop.core.inputs.packing import (
    classify,
    clean_old_packs,
    pack_destination,
    pack_images,
    remove_packed,
)
from oilspill_desktop.core.jobs.cancel import CancelToken


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_zips_images_folders_and_junk_are_told_apart(tmp_path: Path) -> None:
    survey = touch(tmp_path / "a" / "Survey.ZIP")
    loose = [touch(tmp_path / "a" / "one.png"), touch(tmp_path / "a" / "two.TIF")]
    folder = tmp_path / "Flight 7"
    touch(folder / "b.jpg")
    touch(folder / "sub" / "a.jpeg")
    touch(folder / ".hidden.png")
    touch(folder / "notes.txt")
    junk = touch(tmp_path / "notes.docx")
    intake = classify([survey, *loose, folder, junk, tmp_path / "missing.zip"])

    assert intake.archives == [survey]
    assert [(p.kind, p.path.name) for p in intake.problems] == [
        ("unsupported", "notes.docx"),
        ("missing", "missing.zip"),
    ]
    folder_pack, loose_pack = intake.packs
    assert folder_pack.name == "Flight 7"
    assert [name for _, name in folder_pack.files] == ["b.jpg", "sub/a.jpeg"]
    assert folder_pack.output_folder == tmp_path
    assert loose_pack.name == "a"
    assert [name for _, name in loose_pack.files] == ["one.png", "two.TIF"]
    assert loose_pack.output_folder == tmp_path / "a"


def test_a_folder_of_zips_queues_the_zips(tmp_path: Path) -> None:
    first = touch(tmp_path / "batch" / "1.zip")
    second = touch(tmp_path / "batch" / "2.zip")
    intake = classify([tmp_path / "batch"])
    assert intake.archives == [first, second]
    assert intake.packs == []


def test_loose_images_from_two_folders_keep_distinct_names(tmp_path: Path) -> None:
    a = touch(tmp_path / "x" / "scene.png", b"a")
    b = touch(tmp_path / "y" / "scene.png", b"b")
    (pack,) = classify([a, b]).packs
    assert pack.output_folder == tmp_path
    assert sorted(name for _, name in pack.files) == ["x/scene.png", "y/scene.png"]


def test_pack_images_streams_files_into_a_stored_zip(tmp_path: Path) -> None:
    folder = tmp_path / "imgs"
    contents = {f"s{i}.png": bytes([i]) * (1000 + i) for i in range(5)}
    for name, data in contents.items():
        touch(folder / name, data)
    (plan,) = classify([folder]).packs
    destination = pack_destination(tmp_path / "cache", plan.name)
    seen: list[tuple[int, int]] = []
    result = pack_images(plan, destination, CancelToken(), lambda d, t: seen.append((d, t)))
    assert result == destination and destination.name == "imgs.zip"
    with zipfile.ZipFile(destination) as bundle:
        assert {i.filename: bundle.read(i) for i in bundle.infolist()} == contents
        assert {i.compress_type for i in bundle.infolist()} == {zipfile.ZIP_STORED}
    assert seen[-1] == (5, 5)
    remove_packed(destination, tmp_path / "cache")
    assert not destination.exists() and not destination.parent.exists()


def test_cancelled_packing_leaves_nothing(tmp_path: Path) -> None:
    touch(tmp_path / "imgs" / "a.png")
    (plan,) = classify([tmp_path / "imgs"]).packs
    destination = pack_destination(tmp_path / "cache", plan.name)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        pack_images(plan, destination, token)
    assert not destination.exists()
    assert list(destination.parent.iterdir()) == []


def test_remove_packed_never_touches_user_files(tmp_path: Path) -> None:
    mine = touch(tmp_path / "survey.zip")
    remove_packed(mine, tmp_path / "cache")
    assert mine.exists()


def test_old_packs_are_cleaned(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    old = touch(pack_destination(cache, "old"))
    fresh = touch(pack_destination(cache, "fresh"))
    import os

    os.utime(old.parent, (0, 0))
    assert clean_old_packs(cache, 7) == 1
    assert not old.exists() and fresh.exists()


def test_unsafe_names_are_made_safe(tmp_path: Path) -> None:
    assert pack_destination(tmp_path, 'a/b:c*?"').name == "a_b_c___.zip"
    assert pack_destination(tmp_path, "...").name == "images.zip"
