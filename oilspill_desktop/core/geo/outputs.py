"""What a georeferenced image adds to its results: the hook the pipeline calls.

:func:`georeferenced_outputs` turns an image's georeference and oil mask into everything
the results need (the mask GeoTIFF's bytes, the slicks as GeoJSON features, the figures
for the report); :func:`without_nodata` takes oil out of pixels that hold no data before
anything is counted, so a black no-data border the engine took for oil never becomes
square kilometres.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

from ..errors import ItemError
from ..messages import say
from ..model import Segmentation
from .georef import Georeference
from .ground import GroundFrame
from .mask_tiff import mask_geotiff
from .slicks import find_slicks


@dataclass(frozen=True)
class GeoOutputs:
    crs: str
    pixel_size_m: float
    oil_area_km2: float
    features: list[dict[str, object]]
    mask_tiff: bytes

    @property
    def slicks(self) -> int:
        return len(self.features)


def check_size(georef: Georeference, width: int, height: int) -> None:
    """GDAL and the decoder must see the same pixels, or positions would be wrong."""
    if (georef.width, georef.height) != (width, height):
        raise ItemError(
            say(
                "geo.unreadable",
                reason=f"GDAL reads {georef.width}x{georef.height} pixels where the image "
                f"decodes to {width}x{height}",
            )
        )


def without_nodata(segmentation: Segmentation, georef: Georeference) -> Segmentation:
    """The segmentation with no oil where the input holds no data (mask image too)."""
    valid = georef.valid
    oil = segmentation.oil
    if valid is None or oil is None or not bool((oil & ~valid).any()):
        return segmentation
    cleared = oil & valid
    mask_image = segmentation.mask_image
    if mask_image is not None:
        blank = Image.new(mask_image.mode, mask_image.size, 0)
        outside = Image.fromarray((~valid).astype(np.uint8) * np.uint8(255), "L")
        mask_image = Image.composite(blank, mask_image, outside)
    classes = segmentation.classes
    if classes is not None:
        classes = np.where(valid, classes, np.uint8(0)).astype(np.uint8)
    return dataclasses.replace(segmentation, oil=cleared, mask_image=mask_image, classes=classes)


def georeferenced_outputs(
    georef: Georeference, oil: npt.NDArray[np.bool_], image: str
) -> GeoOutputs:
    """Measure and outline the slicks of ``oil``; ``image`` names them in the features."""
    frame = GroundFrame.for_image(georef)
    slicks = find_slicks(oil, frame)
    return GeoOutputs(
        crs=georef.label,
        pixel_size_m=frame.pixel_size_m(),
        oil_area_km2=sum(slick.area_km2 for slick in slicks),
        features=[slick.feature(image) for slick in slicks],
        mask_tiff=mask_geotiff(georef, oil),
    )
