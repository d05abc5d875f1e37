"""``oilspill-desktop process`` end to end, in a subprocess, on archives made by the test."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from PIL import Image

from oilspill_desktop.core.jobs.workspace import job_key
from oilspill_desktop.tools.synthetic import write_survey_zip
from tests.onnx_models import dark_is_oil_model, sidecar

from .cli_helpers import read_report, run_cli, sha256


def survey(tmp_path: Path, count: int = 4, name: str = "survey.zip") -> Path:
    path = write_survey_zip(tmp_path / name, count, size=(96, 96), seed=3)
    with zipfile.ZipFile(path, "a") as bundle:
        bundle.writestr("survey/readme.txt", "notes from the field")
        bundle.writestr("__MACOSX/survey/._scene.png", b"litter")
    return path


def test_the_default_engine_turns_a_survey_into_a_results_zip(
    tmp_path: Path, app_home: Path
) -> None:
    source = survey(tmp_path)
    before = sha256(source)
    result = run_cli("process", source, home=app_home)
    assert result.returncode == 0, result.stderr
    results = tmp_path / "survey_results.zip"
    assert str(results) in result.stdout
    assert "4 images, 4 ok, 0 failed, 1 skipped" in result.stdout
    report = read_report(results)
    assert report["engine"] == "model"
    assert report["model"].startswith("oil-unet-lite@")
    assert report["counts"] == {"images": 4, "ok": 4, "failed": 0, "skipped": 1}
    assert report["input"]["sha256"] == before
    skipped = [i for i in report["items"] if i["status"] == "skipped"]
    assert [i["path"] for i in skipped] == ["survey/readme.txt"]
    assert all(i["mask"].startswith("masks/") for i in report["items"] if i["status"] == "ok")
    assert sha256(source) == before  # the input is never modified


def test_second_run_replaces_its_results_and_resumes_from_the_journal(
    tmp_path: Path, app_home: Path
) -> None:
    source = survey(tmp_path, count=3)
    assert run_cli("process", source, home=app_home).returncode == 0
    first = (tmp_path / "survey_results.zip").read_bytes()
    again = run_cli("process", source, "-v", home=app_home)
    assert again.returncode == 0, again.stderr
    assert not (tmp_path / "survey_results (2).zip").exists()
    assert (tmp_path / "survey_results.previous.zip").read_bytes() == first
    assert "3 of 3 images already done" in again.stderr
    assert read_report(tmp_path / "survey_results.zip")["counts"]["ok"] == 3


def test_a_corrupt_image_fails_alone_and_exit_status_is_one(tmp_path: Path, app_home: Path) -> None:
    source = survey(tmp_path, count=2)
    with zipfile.ZipFile(source, "a") as bundle:
        bundle.writestr("survey/broken.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    result = run_cli("process", source, home=app_home)
    assert result.returncode == 1, result.stderr
    report = read_report(tmp_path / "survey_results.zip")
    broken = next(i for i in report["items"] if i["path"] == "survey/broken.png")
    assert broken["status"] == "failed"
    assert "decoded" in broken["error"]
    assert report["counts"]["ok"] == 2


def test_inputs_that_cannot_be_processed_exit_two_without_output(
    tmp_path: Path, app_home: Path
) -> None:
    not_zip = tmp_path / "photo.zip"
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    not_zip.write_bytes(buffer.getvalue())
    no_images = tmp_path / "docs.zip"
    with zipfile.ZipFile(no_images, "w") as bundle:
        bundle.writestr("a.txt", "text")
    truncated = tmp_path / "cut.zip"
    whole = survey(tmp_path, count=2, name="whole.zip").read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    for path in (not_zip, no_images, truncated, tmp_path / "missing.zip"):
        result = run_cli("process", path, home=app_home)
        assert result.returncode == 2, (path, result.stdout, result.stderr)
        assert path.name in result.stderr
        assert "Traceback" not in result.stderr
    leftovers = [p.name for p in tmp_path.iterdir() if "_results" in p.name or p.suffix == ".part"]
    assert leftovers == []


def test_output_option_names_a_file_for_one_input_and_a_folder_for_several(
    tmp_path: Path, app_home: Path
) -> None:
    one = survey(tmp_path, count=1, name="one.zip")
    two = survey(tmp_path, count=1, name="two.zip")
    target = tmp_path / "out" / "mine.zip"
    assert run_cli("process", one, "-o", target, home=app_home).returncode == 0
    assert read_report(target)["counts"]["ok"] == 1
    folder = tmp_path / "many"
    assert run_cli("process", one, two, "-o", folder, home=app_home).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == ["one_results.zip", "two_results.zip"]


def test_a_broken_model_stops_the_job_with_one_clear_line(tmp_path: Path, app_home: Path) -> None:
    source = survey(tmp_path, count=1)
    model = tmp_path / "mine.onnx"
    model.write_bytes(b"not a model")
    (tmp_path / "mine.json").write_text(json.dumps(sidecar()), encoding="utf-8")
    result = run_cli("process", source, "--model", model, home=app_home)
    assert result.returncode == 2
    assert "mine.onnx is not a usable ONNX model" in result.stderr
    assert not (tmp_path / "survey_results.zip").exists()


def test_a_users_model_is_used_and_named_in_the_report(tmp_path: Path, app_home: Path) -> None:
    source = survey(tmp_path, count=2)
    model = dark_is_oil_model(tmp_path / "mine.onnx")
    result = run_cli("process", source, "--model", model, home=app_home)
    assert result.returncode == 0, result.stderr
    report = read_report(tmp_path / "survey_results.zip")
    assert report["engine"] == "model"
    assert report["model"].startswith("test-model@")


def test_version_and_help(app_home: Path) -> None:
    version = run_cli("--version", home=app_home)
    assert version.returncode == 0 and version.stdout.startswith("oilspill-desktop ")
    for command in ("process", "serve", "view"):
        shown = run_cli(command, "--help", home=app_home)
        assert shown.returncode == 0 and "usage:" in shown.stdout


def test_a_results_file_left_half_written_by_a_killed_run_is_cleared(
    tmp_path: Path, app_home: Path
) -> None:
    source = survey(tmp_path, count=2)
    key = job_key(sha256(source), "classical", None, "jpeg")
    stale = tmp_path / f".survey_results.{key}.k1ll3d.zip.part"
    stale.write_bytes(b"half a zip")
    unrelated = tmp_path / ".survey_results.another-job.x.zip.part"
    unrelated.write_bytes(b"not ours")
    assert run_cli("process", source, "--engine", "classical", home=app_home).returncode == 0
    assert not stale.exists()
    assert unrelated.exists()


def test_the_last_lines_say_how_many_images_hold_oil_and_name_the_failed(
    tmp_path: Path, app_home: Path
) -> None:
    source = write_survey_zip(tmp_path / "survey.zip", 8, size=(96, 96), seed=3)
    broken = [f"survey/broken_{i:02d}.png" for i in range(12)]
    with zipfile.ZipFile(source, "a") as bundle:
        for name in broken:
            bundle.writestr(name, b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    result = run_cli("process", source, "--engine", "classical", home=app_home)
    assert result.returncode == 1, result.stderr
    report = read_report(tmp_path / "survey_results.zip")
    ok = [i for i in report["items"] if i["status"] == "ok"]
    oily = [i for i in ok if i["oil_pixels"]]
    assert 0 < len(oily) < len(ok) == 8  # the scenes hold slicks and open sea alike
    area = sum(i["width"] * i["height"] for i in ok)
    fraction = sum(i["oil_pixels"] for i in ok) / area
    assert report["summary"]["with_oil"] == len(oily)
    assert report["summary"]["oil_fraction"] == fraction
    lines = result.stdout.strip().splitlines()
    assert (
        lines[1] == f"{len(oily)} of 8 images have oil ({100 * fraction:.2f} % of the imaged area)"
    )
    assert lines[2:] == ["Failed images (12):", *(f"  {n}" for n in broken[:10]), "  and 2 more"]


def test_a_clean_run_lists_no_failures(tmp_path: Path, app_home: Path) -> None:
    source = write_survey_zip(tmp_path / "one.zip", 1, size=(96, 96), seed=3)
    result = run_cli("process", source, "--engine", "classical", home=app_home)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    summary = read_report(tmp_path / "one_results.zip")["summary"]
    verb = "has" if summary["with_oil"] == 1 else "have"
    assert lines[1:] == [
        f"{summary['with_oil']} of 1 image {verb} oil "
        f"({100 * summary['oil_fraction']:.2f} % of the imaged area)"
    ]


def test_overlays_are_a_choice_and_a_resume_never_mixes_kinds(
    tmp_path: Path, app_home: Path
) -> None:
    source = survey(tmp_path, count=3)
    kinds = {}
    for overlays in ("none", "png", "jpeg"):
        out = tmp_path / f"{overlays}.zip"
        result = run_cli(
            "process",
            source,
            "--engine",
            "classical",
            "--overlays",
            overlays,
            "-o",
            out,
            home=app_home,
        )
        assert result.returncode == 0, result.stderr
        report = read_report(out)
        assert report["overlays"] == overlays
        rows = [row for row in report["items"] if row["status"] == "ok"]
        assert len(rows) == 3 and all(row["mask"].endswith(".png") for row in rows)
        with zipfile.ZipFile(out) as bundle:
            names = set(bundle.namelist())
        kinds[overlays] = {row["overlay"] for row in rows}
        assert all(name in names for name in kinds[overlays] if name)
        assert not any(name.startswith("overlays/") for name in names) or overlays != "none"
    assert kinds["none"] == {None}
    assert all(name.endswith(".png") for name in kinds["png"])
    assert all(name.endswith(".jpg") for name in kinds["jpeg"])
    # each choice is a job of its own: none of the three runs resumed another's images
    keys = {job_key(sha256(source), "classical", None, o) for o in ("none", "png", "jpeg")}
    assert len(keys) == 3 and all((app_home / "cache" / "jobs" / k).is_dir() for k in keys)
