"""Carrying finished images from one engine's job folder to another's (switching engine)."""

from __future__ import annotations

from pathlib import Path

from oilspill_desktop.core.jobs.carry_over import carry_over, engine_label
from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.model import ItemRecord, ItemStatus

from .test_journal_workspace import ok_record

SHA = "ab" * 32


def workspace(root: Path, engine: str, sha: str = SHA, endpoint: str | None = None):
    ws = JobWorkspace(root, fsync=False)
    ws.create({"sha256": sha, "engine": engine, "endpoint": endpoint})
    return ws


def test_finished_images_are_carried_with_a_warning_saying_whose_they_are(
    tmp_path: Path,
) -> None:
    source = workspace(tmp_path / "http", "http", endpoint="http://host:8002/segment")
    for index in (0, 1, 2):
        source.journal.append(ok_record(index, source))
    failed = ItemRecord(path="a/3.png", status=ItemStatus.FAILED, member_index=3, error="500")
    source.journal.append(failed)
    (source.root / "overlays/a/2.png").unlink()  # its files are gone: not carried
    source.journal.close()
    target = workspace(tmp_path / "model", "model")
    target.journal.append(ok_record(1, target))  # already done here: kept as it is
    assert target.lock()

    assert carry_over(source, target) == 1
    done = target.finished_records()
    assert sorted(done) == [0, 1]
    assert [w.text for w in done[0].warnings] == [
        "segmented by http http://host:8002/segment before the job switched engine"
    ]
    assert done[0].warnings[0].code == "warn.carried_over"
    assert done[0].warnings[0].params == {"engine": "http http://host:8002/segment"}
    assert done[1].warnings == []
    assert (target.root / "masks/a/0.png").read_bytes() == (
        source.root / "masks/a/0.png"
    ).read_bytes()
    assert source.lock()  # left unlocked for whoever comes next
    source.unlock()
    target.journal.close()
    target.unlock()


def test_another_input_or_a_busy_folder_is_not_carried(tmp_path: Path) -> None:
    source = workspace(tmp_path / "http", "http")
    source.journal.append(ok_record(0, source))
    source.journal.close()
    other = workspace(tmp_path / "other", "model", sha="cd" * 32)
    assert carry_over(source, other) == 0
    target = workspace(tmp_path / "model", "model")
    holder = JobWorkspace(source.root)
    assert holder.lock()  # the old job still holds its folder
    try:
        assert carry_over(source, target) == 0
    finally:
        holder.unlock()
    assert carry_over(source, source) == 0
    assert carry_over(source, target) == 1
    target.journal.close()


def test_engine_label() -> None:
    assert engine_label({"engine": "model"}) == "model"
    assert engine_label({}) == "?"
