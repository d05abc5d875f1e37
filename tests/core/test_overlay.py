from __future__ import annotations

import numpy as np
from PIL import Image

from oilspill_desktop.core.model import Segmentation
from oilspill_desktop.core.results.overlay import OIL_RGB, outline, render_overlay


def square_mask() -> np.ndarray:
    mask = np.zeros((32, 32), bool)
    mask[8:24, 8:24] = True
    return mask


def test_fill_tints_only_oil_pixels() -> None:
    base = Image.new("L", (32, 32), 100)
    seg = Segmentation(kind="mask", oil=square_mask(), mask_image=None)
    out = np.asarray(render_overlay(base, seg, opacity=0.5))
    assert tuple(out[0, 0]) == (100, 100, 100)
    assert all(abs(int(a) - b) <= 1 for a, b in zip(out[16, 16], (50, 178, 178), strict=True))


def test_outline_paints_the_border_and_keeps_the_inside() -> None:
    base = Image.new("L", (32, 32), 100)
    seg = Segmentation(kind="mask", oil=square_mask(), mask_image=None)
    out = np.asarray(render_overlay(base, seg, style="outline"))
    assert tuple(out[8, 16]) == OIL_RGB
    assert tuple(out[16, 16]) == (100, 100, 100)


def test_outline_of_a_square() -> None:
    edge = outline(square_mask(), width=1)
    assert edge.sum() == 16 * 4 - 4


def test_engine_overlay_pictures_are_kept_as_they_came() -> None:
    picture = Image.new("RGB", (8, 8), (1, 2, 3))
    seg = Segmentation(kind="overlay", oil=None, mask_image=None, overlay_image=picture)
    assert render_overlay(Image.new("L", (8, 8)), seg).getpixel((0, 0)) == (1, 2, 3)


def test_class_maps_paint_each_class() -> None:
    classes = np.zeros((4, 4), np.uint8)
    classes[0, 0], classes[1, 1] = 1, 4
    seg = Segmentation(kind="classes", oil=classes == 1, mask_image=None, classes=classes)
    out = np.asarray(render_overlay(Image.new("L", (4, 4)), seg, opacity=1.0))
    assert tuple(out[0, 0]) == OIL_RGB
    assert tuple(out[1, 1]) == (0, 153, 0)
    assert tuple(out[2, 2]) == (0, 0, 0)


def test_a_grey_scene_with_nothing_to_paint_stays_grey() -> None:
    """Open sea, the bulk of a survey, is written as a grey PNG: the same picture, smaller."""
    base = Image.new("L", (8, 8), 77)
    seg = Segmentation(kind="mask", oil=np.zeros((8, 8), bool), mask_image=None)
    out = render_overlay(base, seg)
    assert out.mode == "L" and np.array_equal(np.asarray(out), np.asarray(base))


def test_a_grey_scene_turns_rgb_as_soon_as_something_is_painted() -> None:
    base = Image.new("L", (32, 32), 100)
    seg = Segmentation(kind="mask", oil=square_mask(), mask_image=None)
    assert render_overlay(base, seg).mode == "RGB"
    assert render_overlay(Image.new("RGB", (32, 32)), seg).mode == "RGB"


def test_fill_gives_exactly_the_pixels_of_a_whole_picture_blend() -> None:
    """Painting only the box around the oil with a look-up table is Image.blend's result."""
    rng = np.random.default_rng(5)
    base = Image.fromarray(rng.integers(0, 256, (40, 60, 3), dtype=np.uint8), "RGB")
    oil = np.zeros((40, 60), bool)
    oil[5:20, 30:52] = rng.random((15, 22)) < 0.6
    seg = Segmentation(kind="mask", oil=oil, mask_image=None)
    for opacity in (0.45, 0.3, 1.0):
        tinted = Image.blend(base, Image.new("RGB", base.size, OIL_RGB), opacity)
        expected = np.where(oil[..., None], np.asarray(tinted), np.asarray(base))
        out = render_overlay(base, seg, opacity=opacity)
        assert np.array_equal(np.asarray(out), expected)


def test_the_base_picture_is_never_changed() -> None:
    rng = np.random.default_rng(6)
    base = Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8), "RGB")
    before = np.asarray(base).copy()
    seg = Segmentation(kind="mask", oil=square_mask(), mask_image=None)
    for style in ("fill", "outline"):
        out = render_overlay(base, seg, style=style)
        assert out is not base and not np.array_equal(np.asarray(out), before)
        assert np.array_equal(np.asarray(base), before)
