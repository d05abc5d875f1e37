"""Coded messages: the English the report keeps, and the code that travels with a record
through the journal, the record store and report.json/report.csv."""

from __future__ import annotations

import csv
import io
import json
import string
import zipfile
from pathlib import Path

import pytest

from oilspill_desktop.core.errors import ItemError
from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.journal import JobJournal
from oilspill_desktop.core.jobs.pipeline import process_member
from oilspill_desktop.core.jobs.record_store import RecordStore
from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.messages import TEMPLATES, Message, join, say
from oilspill_desktop.core.model import ItemRecord, ItemStatus, Limits
from oilspill_desktop.core.results.report import CSV_COLUMNS, InputFacts, JobReport
from tests.core.test_pipeline import MaskEngine


def sample_params(code: str, count: int) -> dict[str, str | int]:
    template = TEMPLATES[code]
    names = {
        name
        for text in (template.text, template.plural or "")
        for _, name, _, _ in string.Formatter().parse(text)
        if name
    }
    return {name: count if name == "count" else f"<{name}>" for name in names}


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_template_renders_a_sentence(code: str) -> None:
    for count in (1, 3):
        message = say(code, **sample_params(code, count))
        assert message.code == code
        assert "{" not in message.text and "}" not in message.text, message.text
        assert str(message) == message.text


def test_plural_english_follows_the_count() -> None:
    assert say("job.kept", count=1).text.startswith("The finished image is kept")
    assert say("job.kept", count=4).text.startswith("The 4 finished images are kept")
    assert say("job.kept", count=4).params == {"count": 4}


def test_an_unknown_code_or_missing_parameter_fails_at_once() -> None:
    with pytest.raises(KeyError):
        say("image.no_such_code")
    with pytest.raises(KeyError):
        say("image.undecodable")  # no reason


def test_an_error_keeps_its_message_and_a_plain_one_has_no_code() -> None:
    coded = ItemError(say("image.undecodable", reason="bad header"))
    assert str(coded) == "The image could not be decoded: bad header."
    assert coded.message.code == "image.undecodable"
    plain = ItemError("Something rare.")
    assert str(plain) == "Something rare." and plain.message.code is None
    assert [m.code for m in join(coded.message, None, "and text")] == ["image.undecodable", None]


def corrupt_record(tmp_path: Path) -> tuple[ItemRecord, JobWorkspace]:
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as bundle:
        bundle.writestr("scene.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    archive = InputArchive(tmp_path / "in.zip", Limits())
    workspace = JobWorkspace(tmp_path / "job", fsync=False)
    record = process_member(
        archive, archive.images[0], MaskEngine(None), workspace, Limits(), CancelToken()
    )
    archive.close()
    return record, workspace


def test_a_corrupt_image_fails_with_a_code_that_survives_the_journal_and_store(
    tmp_path: Path,
) -> None:
    record, workspace = corrupt_record(tmp_path)
    workspace.journal.close()
    assert record.status is ItemStatus.FAILED
    assert record.error_code == "image.undecodable"
    assert record.error == f"The image could not be decoded: {record.error_params['reason']}."
    (journalled,) = JobJournal(workspace.root / "journal.jsonl").records()
    assert journalled.error_message == record.error_message
    store = RecordStore(1)
    store.put(record)
    assert store[0].error_message == record.error_message
    assert store[0].error_message == Message(
        record.error or "", "image.undecodable", record.error_params
    )


def test_the_report_keeps_the_english_and_the_code(tmp_path: Path) -> None:
    record, workspace = corrupt_record(tmp_path)
    workspace.journal.close()
    ok = ItemRecord(path="fine.png", status=ItemStatus.OK, member_index=1)
    report = JobReport(InputFacts("in.zip", 1, "0" * 64), "fake", None, "t0", "t1", [record, ok])
    stream = io.BytesIO()
    report.write_csv(stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))
    assert CSV_COLUMNS.index("error_code") == CSV_COLUMNS.index("error") + 1
    assert rows[0]["error"] == record.error and rows[0]["error_code"] == "image.undecodable"
    assert rows[1]["error"] == "" and rows[1]["error_code"] == ""
    stream = io.BytesIO()
    report.write_json(stream)
    items = json.loads(stream.getvalue())["items"]
    assert list(items[0])[2:4] == ["error", "error_code"]
    assert items[0]["error_code"] == "image.undecodable" and items[0]["error"] == record.error
    assert ItemRecord.from_json(items[0]).error_message == record.error_message
