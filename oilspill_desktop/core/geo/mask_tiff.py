"""The oil mask as a GeoTIFF that a GIS lays exactly over the input.

It has the input's size, CRS and geotransform (or its ground control points, so QGIS
warps it as it warps the input), one byte per pixel: 1 oil, 0 no oil, and
:data:`NODATA` where the input holds no data (declared as the band's no-data value).
Deflate-compressed and tiled: a mask is mostly zeros and compresses a hundredfold.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from rasterio.io import MemoryFile

from .georef import Georeference, quiet_open

NODATA = 255
OIL = 1
_BLOCK = 256


def mask_geotiff(georef: Georeference, oil: npt.NDArray[np.bool_]) -> bytes:
    """The GeoTIFF's bytes for an oil mask of ``georef``'s image."""
    values = oil.astype(np.uint8)
    if georef.valid is not None:
        values[~georef.valid] = NODATA
    profile: dict[str, object] = {
        "driver": "GTiff",
        "width": georef.width,
        "height": georef.height,
        "count": 1,
        "dtype": "uint8",
        "compress": "deflate",
        "nodata": NODATA if georef.valid is not None else None,
    }
    if georef.width >= _BLOCK and georef.height >= _BLOCK:
        profile.update(tiled=True, blockxsize=_BLOCK, blockysize=_BLOCK)
    if georef.transform is not None:
        profile.update(crs=georef.crs, transform=georef.transform)
    with MemoryFile() as memory:
        with quiet_open():
            dataset = memory.open(**profile)
        with dataset:
            if georef.transform is None:
                dataset.gcps = (list(georef.gcps), georef.crs)
            dataset.write(values, 1)
        return bytes(memory.read())
