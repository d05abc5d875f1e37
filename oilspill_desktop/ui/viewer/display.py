"""How large a picture the viewer holds: a scene above the display limit is shown reduced.

A large scene's result is as large as the scene (20,000 × 20,000 pixels); held whole as the
views' pyramids it would take gigabytes, and no screen shows more than a few thousand
pixels of it at once. So the original, the mask and the overlay of such a scene are
decoded reduced, on the loader's worker, to at most :data:`DISPLAY_SIDE` pixels on the
longer side, and the views draw them over the full-size scene's coordinates: the cursor,
the pixel under it, longitude/latitude, the scale bar and the zoom stay in the scene's
own pixels, and the status line says the picture is shown at 1:``factor``.

Pictures up to :data:`WHOLE_PICTURE_PIXELS` are shown at their own pixels, as before:
zooming into an 8,000-pixel scene must show its real pixels, and anything that size the
job decoded whole too.
"""

from __future__ import annotations

import math

from ...core.model import Limits

WHOLE_PICTURE_PIXELS = Limits().max_pixels
"""Pictures with at most this many pixels are held whole (the default pixel limit)."""

DISPLAY_SIDE = 4096
"""The longest side, in pixels, a picture is held at; larger ones are reduced."""


def reduction(width: int, height: int) -> int:
    """By how much a ``width`` × ``height`` picture is reduced to be shown (1: not)."""
    if width * height <= WHOLE_PICTURE_PIXELS:
        return 1
    return max(1, math.ceil(max(width, height) / DISPLAY_SIDE))


def reduced_size(width: int, height: int, factor: int) -> tuple[int, int]:
    """The size of a picture reduced ``factor`` times (a partial last block counts)."""
    return math.ceil(width / factor), math.ceil(height / factor)
