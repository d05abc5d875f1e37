"""Whether a member may be georeferenced: a TIFF with GeoTIFF tags, told from its header.

Kept apart from :mod:`.georef` so that asking costs no rasterio import: GDAL and PROJ take
a third of a second to load, which a survey of JPEGs (and the window's start) never pays.
"""

from __future__ import annotations

import io

from PIL import TiffImagePlugin

_TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
# GeoTIFF tags: any of them means GDAL has something to say about the image's place.
_GEO_TAGS = frozenset({33550, 33922, 34264, 34735})


def has_geotags(data: bytes) -> bool:
    """Whether a member is a TIFF carrying GeoTIFF tags (cheap: reads the header only)."""
    if not data.startswith(_TIFF_MAGICS):
        return False
    try:
        header = TiffImagePlugin.TiffImageFile(io.BytesIO(data))
    except Exception:
        return False  # the decoder says what is wrong with it
    return bool(_GEO_TAGS & set(header.tag_v2.keys()))
