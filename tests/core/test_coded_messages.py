"""Sentences that used to be plain English now carry a code: the report keeps the English
and adds the code, so the window can say the same in the user's language (issue 15)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.engines import classical
from oilspill_desktop.core.engines.answers import interpret_answer
from oilspill_desktop.core.engines.classical import ClassicalEngine
from oilspill_desktop.core.engines.http_engine import EndpointError, HttpEngine, check_endpoint
from oilspill_desktop.core.engines.model_spec import load_spec, parse_spec
from oilspill_desktop.core.errors import EngineError, InputError, ModelError, OutputError
from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import ReportRows
from oilspill_desktop.core.jobs.record_store import RecordStore
from oilspill_desktop.core.model import ItemStatus, Limits
from oilspill_desktop.core.results.report import InputFacts, JobReport
from oilspill_desktop.core.results.results_zip import choose_output
from tests import hostile_archives as hostile
from tests.core.test_annotated import blob, scene
from tests.endpoint_server import paint_like_yolo
from tests.sources import in_memory_source

PNG = hostile.png_bytes(8, 6)


def test_skipped_members_keep_the_english_and_gain_a_code_in_the_report(tmp_path: Path) -> None:
    path = hostile.zip_with_members(
        tmp_path / "in.zip",
        {
            "notes.txt": b"x",
            "README": b"x",
            "more.zip": b"PK",
            "anim.gif": b"x",
            "../evil.png": PNG,
            "/abs.png": PNG,
            "a\\b.png": PNG,
            "ok.png": PNG,
        },
    )
    with InputArchive(path, Limits()) as archive:
        rows = list(ReportRows(archive.members, RecordStore(archive.entry_count)))
        skipped = {
            r.path: (r.error, r.error_code, r.error_params)
            for r in rows
            if r.status is ItemStatus.SKIPPED
        }
    assert skipped == {
        "notes.txt": ("not an image (.txt)", "skip.not_image", {"suffix": ".txt"}),
        "README": ("not an image (no extension)", "skip.no_extension", {}),
        "more.zip": (
            "nested archive; unpack it and add it separately",
            "skip.nested_archive",
            {},
        ),
        "anim.gif": (
            "unsupported image type (.gif); convert it to PNG, JPEG or TIFF",
            "skip.unsupported_image",
            {"suffix": ".gif"},
        ),
        "../evil.png": ("unsafe name: contains a '..' component", "skip.name_parent", {}),
        "/abs.png": ("unsafe name: absolute path", "skip.name_absolute", {}),
        "a\\b.png": ("unsafe name: contains a backslash", "skip.name_backslash", {}),
    }
    report = JobReport(InputFacts("in.zip", 1, "0" * 64), "fake", None, "t0", "t1", rows)
    stream = io.BytesIO()
    report.write_json(stream)
    items = {item["path"]: item for item in json.loads(stream.getvalue())["items"]}
    assert items["notes.txt"]["error"] == "not an image (.txt)"
    assert items["notes.txt"]["error_code"] == "skip.not_image"
    assert items["notes.txt"]["status"] == "skipped"


@pytest.mark.parametrize(
    ("head", "code", "text"),
    [
        (
            b"Rar!\x1a\x07\x01\x00",
            "zip.is_rar",
            "The file “x.zip” is a RAR archive, not a zip archive.",
        ),
        (PNG, "zip.is_image", "The file “x.zip” is a PNG image, not a zip archive."),
        (b"%PDF-1.4", "zip.is_pdf", "The file “x.zip” is a PDF document, not a zip archive."),
        (
            b"7z\xbc\xaf\x27\x1c",
            "zip.is_7z",
            "The file “x.zip” is a 7-Zip archive, not a zip archive.",
        ),
        (b"\x1f\x8b\x08", "zip.is_gzip", "The file “x.zip” is a gzip file, not a zip archive."),
    ],
)
def test_other_kinds_of_file_are_named_with_a_code(
    tmp_path: Path, head: bytes, code: str, text: str
) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(head + bytes(40))
    with pytest.raises(InputError) as raised:
        InputArchive(path, Limits())
    assert (raised.value.message.code, str(raised.value)) == (code, text)


def test_the_fallback_folder_and_nowhere_to_go_have_codes(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    target = choose_output(
        tmp_path / "s.zip", explicit=None, folder=blocker / "sub", fallback_folder=tmp_path / "data"
    )
    assert target.fallback_reason is not None
    [reason] = target.fallback_reason
    assert reason.code == "output.not_writable"
    assert reason.text == (
        f"{blocker / 'sub'} is not writable, so the results were saved in {tmp_path / 'data'}."
    )
    with pytest.raises(OutputError) as raised:
        choose_output(
            tmp_path / "s.zip", explicit=None, folder=blocker / "a", fallback_folder=blocker / "b"
        )
    assert raised.value.message.code == "output.nowhere"
    assert str(raised.value).endswith("the results have nowhere to go.")


def test_unusable_endpoint_settings_have_codes(tmp_path: Path) -> None:
    bad = check_endpoint("ftp://127.0.0.1/segment")
    assert bad is not None and bad.code == "engine.not_http_url"
    assert bad.text == (
        "The engine address 'ftp://127.0.0.1/segment' is not an http:// or https:// URL "
        "with a host name."
    )
    invalid = check_endpoint("http://[::1/segment")
    assert invalid is not None and invalid.code == "engine.bad_url"
    cases = [
        (HttpEngine("http://127.0.0.1:9/segment", token="bad\ntoken"), "engine.bad_token"),
        (
            HttpEngine("http://127.0.0.1:9/segment", verify=str(tmp_path / "missing.pem")),
            "engine.bad_ca_bundle",
        ),
    ]
    source = in_memory_source(Image.new("L", (8, 8), 100))
    for engine, code in cases:
        with pytest.raises(EndpointError) as raised:
            engine.segment(source, CancelToken())
        engine.close()
        assert raised.value.message.code == code and raised.value.verdict == "bad settings"


def test_the_classical_engine_running_out_of_memory_has_a_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def exhausted(*_args: object, **_kwargs: object) -> np.ndarray:
        raise MemoryError

    monkeypatch.setattr(classical, "detect_dark_spots", exhausted)
    with pytest.raises(EngineError) as raised:
        ClassicalEngine().segment(in_memory_source(Image.new("L", (64, 32), 100)), CancelToken())
    assert raised.value.message.code == "engine.no_memory"
    assert raised.value.message.params == {"width": 64, "height": 32}


def test_an_annotation_of_another_image_has_a_code() -> None:
    size = (256, 256)
    answer = Image.open(io.BytesIO(paint_like_yolo(scene(7, size), blob(size))))
    with pytest.raises(EngineError) as raised:
        interpret_answer(answer, 256, 256, sent=Image.fromarray(scene(3, size)))
    assert raised.value.message.code == "engine.not_the_image_sent"
    assert str(raised.value).startswith(
        f"The engine's annotated picture is not a copy of the image sent: "
        f"{raised.value.message.params['share']} of its pixels"
    )


def test_model_description_errors_have_codes(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as raised:
        parse_spec({"format": 2}, "m.json")
    assert raised.value.message.code == "model.spec_field"
    assert str(raised.value) == "m.json: format 2 is not known to this version (expected 1)."
    assert raised.value.message.params["where"] == "m.json"
    with pytest.raises(ModelError) as raised:
        parse_spec([], "m.json")
    assert raised.value.message.code == "model.spec_not_object"
    with pytest.raises(ModelError) as raised:
        load_spec(tmp_path / "m.onnx")
    assert raised.value.message.code == "model.no_spec"
    (tmp_path / "m.json").write_text("{", encoding="utf-8")
    with pytest.raises(ModelError) as raised:
        load_spec(tmp_path / "m.onnx")
    assert raised.value.message.code == "model.spec_not_json"
