"""Decoded images for engine tests: a :class:`SourceImage` around pixels made in the test."""

from __future__ import annotations

from PIL import Image

from oilspill_desktop.core.model import SourceImage


def in_memory_source(image: Image.Image, path: str = "survey/scene.png") -> SourceImage:
    """As if decoded from an 8-bit PNG member; no original bytes (engines that need them
    re-read members, and these tests give pixels only)."""
    return SourceImage(
        path=path,
        pixels=image,
        original=b"",
        original_format="PNG",
        content_type="image/png",
        sendable_original=True,
    )
