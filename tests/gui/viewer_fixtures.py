"""Results zips for the viewer's tests and benchmark, written directly or by the real pipeline.

``write_results`` builds an input zip of synthetic SAR scenes and a results zip for it the
way the pipeline lays one out (masks, overlays drawn by ``core.overlay``, report.json), with
the knobs the tests need: failed items, 5-class maps, engine pictures. ``run_pipeline`` runs
the real job runner on an input zip and returns the results zip it wrote.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.engines.answers import CLASS_PALETTE, interpret_answer
from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.messages import say
from oilspill_desktop.core.model import ItemRecord, ItemStatus, Limits
from oilspill_desktop.core.results.overlay import render_overlay
from oilspill_desktop.core.results.report import InputFacts, JobReport
from oilspill_desktop.tools.synthetic import encode_image, synthetic_scene, write_zip

Kind = Literal["mask", "classes", "overlay"]

OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"
"""The offscreen platform says this whenever a window's layout sets its minimum size."""


@dataclass
class ResultsFixture:
    results: Path
    input: Path
    originals: list[Image.Image] = field(default_factory=list)
    records: list[ItemRecord] = field(default_factory=list)
    masks: list[np.ndarray | None] = field(default_factory=list)
    """Per item: the class indices (0 sea, 1 oil, ...) or None."""


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def class_map(oil: np.ndarray, seed: int) -> np.ndarray:
    """A 5-class map around a slick: a look-alike patch, a ship, a strip of land."""
    h, w = oil.shape
    classes = np.zeros((h, w), dtype=np.uint8)
    rng = np.random.default_rng(seed)
    y, x = int(rng.integers(0, h // 2)), int(rng.integers(0, w // 2))
    classes[y : y + h // 4, x : x + w // 4] = 2
    classes[h // 2 : h // 2 + 3, w - 12 : w - 6] = 3
    classes[:, : max(2, w // 10)] = 4
    classes[oil] = 1
    return classes


def classes_picture(classes: np.ndarray) -> Image.Image:
    palette = np.array([rgb for _i, (_n, rgb) in sorted(CLASS_PALETTE.items())], dtype=np.uint8)
    return Image.fromarray(palette[classes], "RGB")


def write_results(
    folder: Path,
    *,
    count: int = 5,
    size: tuple[int, int] = (64, 48),
    kind: Kind = "mask",
    failed: Sequence[int] = (),
    no_oil: Sequence[int] = (),
    name: str = "survey",
    scenes: Sequence[Image.Image] | None = None,
) -> ResultsFixture:
    """An input zip ``<name>.zip`` and its ``<name>_results.zip`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    input_path = folder / f"{name}.zip"
    images: list[Image.Image] = []
    truths: list[np.ndarray] = []
    for index in range(count):
        if scenes is not None:
            image = scenes[index % len(scenes)]
            truth = np.asarray(image) < 60
        else:
            scene = synthetic_scene(
                size[0], size[1], seed=100 + index, slicks=0 if index in no_oil else 1
            )
            image, truth = scene.image, scene.oil
        if index in no_oil:
            truth = np.zeros_like(truth)
        images.append(image)
        truths.append(truth)
    write_zip(
        input_path,
        ((f"scenes/scene_{i:03d}.png", encode_image(img, "PNG")) for i, img in enumerate(images)),
    )
    data = input_path.read_bytes()
    facts = InputFacts(input_path.name, len(data), hashlib.sha256(data).hexdigest())
    with InputArchive(input_path, Limits()) as archive:
        members = list(archive.images)

    fixture = ResultsFixture(folder / f"{name}_results.zip", input_path, images)
    report = JobReport(
        facts, "builtin", None, "2026-01-01T00:00:00+00:00", "2026-01-01T00:01:00+00:00"
    )
    files: list[tuple[str, bytes]] = []
    for index, member in enumerate(members):
        image, truth = images[index], truths[index]
        record = ItemRecord(
            path=member.path,
            status=ItemStatus.OK,
            width=image.width,
            height=image.height,
            attempts=1,
            elapsed_ms=120 + index,
            member_index=member.index,
        )
        if index in failed:
            record.status = ItemStatus.FAILED
            record.width = record.height = None
            record.error = "The endpoint answered 500 Internal Server Error three times."
            record.attempts = 3
            fixture.masks.append(None)
        elif kind == "overlay":
            picture = render_overlay(
                image, interpret_answer(Image.fromarray(truth.astype(np.uint8) * 255), *image.size)
            )
            record.kind = "overlay"
            record.overlay = f"overlays/{member.output_stem}.png"
            files.append((record.overlay, png_bytes(picture)))
            fixture.masks.append(None)
        else:
            indices = class_map(truth, index) if kind == "classes" else truth.astype(np.uint8)
            mask = (
                classes_picture(indices)
                if kind == "classes"
                else Image.fromarray(indices * 255, "L")
            )
            segmentation = interpret_answer(mask, image.width, image.height)
            record.kind = segmentation.kind
            record.mask = f"masks/{member.output_stem}.png"
            record.overlay = f"overlays/{member.output_stem}.png"
            record.oil_pixels = int(truth.sum())
            record.oil_fraction = record.oil_pixels / (image.width * image.height)
            if index % 3 == 2:
                record.warnings = [
                    say("warn.mask_resized", got_width=32, got_height=24, width=64, height=48)
                ]
            files.append((record.mask, png_bytes(mask)))
            files.append((record.overlay, png_bytes(render_overlay(image, segmentation))))
            fixture.masks.append(indices)
        report.items.append(record)
        fixture.records.append(record)
    with zipfile.ZipFile(fixture.results, "w") as bundle:
        for member_name, payload in files:
            bundle.writestr(member_name, payload, zipfile.ZIP_STORED)
        with bundle.open("report.json", "w") as stream:
            report.write_json(stream)
        with bundle.open("report.csv", "w") as stream:
            report.write_csv(stream)
    return fixture


@pytest.fixture
def results(tmp_path: Path) -> ResultsFixture:
    """Five 64x48 scenes: one failed, one without oil, three with slicks."""
    return write_results(tmp_path / "data", count=5, failed=(3,), no_oil=(1,))
