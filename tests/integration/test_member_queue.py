"""The runner's queue makes members one at a time from the job's compact pending list."""

from __future__ import annotations

from pathlib import Path

import pytest

from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.model import Limits
from oilspill_desktop.scheduling.job_runner import MemberQueue
from tests import hostile_archives as hostile


def test_members_come_out_in_order_until_empty(tmp_path: Path) -> None:
    names = {f"s{i}.png": hostile.png_bytes(2, 2) for i in range(5)}
    with InputArchive(hostile.zip_with_members(tmp_path / "in.zip", names), Limits()) as archive:
        queue = MemberQueue(archive.images.subset([3, 1, 4]))
        assert len(queue) == 3 and queue
        assert [queue.popleft().path for _ in range(3)] == ["s3.png", "s1.png", "s4.png"]
        assert not queue and len(queue) == 0
        with pytest.raises(IndexError):
            queue.popleft()
        queue = MemberQueue(archive.images)
        queue.popleft()
        queue.clear()
        assert len(queue) == 0 and not queue
    assert not MemberQueue()
