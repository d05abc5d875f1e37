"""Which failures another try can mend: Retry is offered for those alone."""

from __future__ import annotations

import pytest

from oilspill_desktop.core.jobs.mending import notes_can_be_mended, retry_can_mend
from oilspill_desktop.core.messages import plain, say


@pytest.mark.parametrize(
    "code",
    [
        "image.undecodable",
        "image.bomb",
        "member.damaged",
        "member.encrypted",
        "zip.not_zip",
        "zip.truncated",
        "input.no_images",
        "input.no_images_skipped",
        "input.folder",
    ],
)
def test_failures_inherent_in_the_bytes_are_not_mended_by_a_retry(code: str) -> None:
    assert not retry_can_mend(code)


@pytest.mark.parametrize(
    "code",
    [
        None,
        "engine.failed",
        "engine.no_answer",
        "engine.unreachable",
        "image.no_memory",
        "item.no_memory",
        "item.unexpected",
        "item.not_processed",
        "output.disk_full",
        "input.busy",
        "input.missing",
        "model.failed",
    ],
)
def test_failures_of_the_moment_may_be_mended(code: str | None) -> None:
    assert retry_can_mend(code)


def test_a_failed_jobs_notes_are_mendable_only_if_all_are() -> None:
    assert notes_can_be_mended((say("job.kept", count=3), plain("something odd")))
    assert not notes_can_be_mended((say("zip.not_zip", name="a.zip"),))
    assert notes_can_be_mended(())
