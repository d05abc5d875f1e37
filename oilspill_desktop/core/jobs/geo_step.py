"""The pipeline's georeferenced steps: read the place, clear no-data, save the map outputs.

The pipeline calls these for every image; only a GeoTIFF loads rasterio (GDAL and PROJ,
a third of a second to import), so the window starts and a survey of JPEGs runs without
it. That is why the :mod:`..geo` modules are imported inside the functions here, and
here alone.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..geo.detect import has_geotags
from ..model import ArchiveMember, GeoFacts, Segmentation
from .workspace import GEO, JobWorkspace

if TYPE_CHECKING:
    from ..geo.georef import Georeference


def read_place(data: bytes, width: int, height: int) -> Georeference | None:
    """The member's georeference (``None`` for an image without one), checked against the
    decoded size; raises :class:`~..errors.ItemError` for unusable geodata."""
    if not has_geotags(data):
        return None
    from ..geo.georef import read_georeference
    from ..geo.outputs import check_size

    georef = read_georeference(data)
    if georef is not None:
        check_size(georef, width, height)
    return georef


def clear_nodata(segmentation: Segmentation, georef: Georeference) -> Segmentation:
    from ..geo.outputs import without_nodata

    return without_nodata(segmentation, georef)


def save_geo_outputs(
    workspace: JobWorkspace,
    member: ArchiveMember,
    georef: Georeference,
    oil: npt.NDArray[np.bool_],
) -> GeoFacts:
    """The mask GeoTIFF and the slicks of a georeferenced image, saved; what they say."""
    from ..geo.outputs import georeferenced_outputs

    outputs = georeferenced_outputs(georef, oil, member.path)
    facts = GeoFacts(
        crs=outputs.crs,
        pixel_size_m=round(outputs.pixel_size_m, 3),
        oil_area_km2=outputs.oil_area_km2,
        slicks=outputs.slicks,
        mask=f"{GEO}/{member.output_stem}.tif",
    )
    assert facts.mask is not None and facts.slicks_file is not None
    workspace.save_file(facts.slicks_file, json.dumps(outputs.features).encode("utf-8"))
    workspace.save_file(facts.mask, outputs.mask_tiff)
    return facts
