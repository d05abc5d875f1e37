"""Slicks: the connected oil regions of a mask, measured on the ground and outlined in lon/lat.

GDAL polygonises the mask (``rasterio.features.shapes``, 4-connected, so every outline is
a simple ring and diagonal neighbours are separate slicks), holes included. Each slick is
measured from its exact pixel outline (densified, in the equal-area plane of
:mod:`.ground`) and drawn for the map from its simplified outline (:mod:`.outline`).
All rings of an image go through PROJ in one call each way, not one call per slick.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rasterio.features import shapes

from .georef import Floats, quiet_open
from .ground import (
    GroundFrame,
    densify,
    longest_extent,
    ring_centroid,
    ring_length,
)
from .outline import polygon_parts, simplify_ring

M2_PER_KM2 = 1e6


@dataclass(frozen=True)
class Slick:
    """One connected oil region: its measures and its map outline (GeoJSON geometry)."""

    number: int
    area_km2: float
    perimeter_km: float
    length_km: float
    centroid_lon: float
    centroid_lat: float
    geometry: dict[str, object]

    def feature(self, image: str) -> dict[str, object]:
        """The slick as a GeoJSON feature; ``image`` is the member it was found in."""
        return {
            "type": "Feature",
            "geometry": self.geometry,
            "properties": {
                "image": image,
                "slick": self.number,
                "area_km2": round(self.area_km2, 6),
                "perimeter_km": round(self.perimeter_km, 4),
                "length_km": round(self.length_km, 4),
                "centroid_lon": round(self.centroid_lon, 7),
                "centroid_lat": round(self.centroid_lat, 7),
            },
        }


def pixel_polygons(oil: npt.NDArray[np.bool_]) -> list[list[Floats]]:
    """Each 4-connected oil region as closed rings in pixel-corner coordinates."""
    if not oil.any():
        return []
    # GDAL polygonises through an in-memory dataset in pixel coordinates, and rasterio
    # warns that it has no georeference (it need not have one): quiet, as for an open.
    with quiet_open():
        found = list(shapes(oil.astype(np.uint8), mask=oil, connectivity=4))
    return [
        [np.asarray(ring, dtype=np.float64) for ring in geometry["coordinates"]]
        for geometry, _value in found
    ]


def find_slicks(oil: npt.NDArray[np.bool_], frame: GroundFrame) -> list[Slick]:
    """The slicks of an oil mask, largest first, numbered from 1 in that order."""
    polygons = pixel_polygons(oil)
    if not polygons:
        return []
    measured = _measure(polygons, frame)
    outlines = _outlines(polygons, frame)
    slicks = [
        (area, perimeter, length, centroid, outline)
        for (area, perimeter, length, centroid), outline in zip(measured, outlines, strict=True)
    ]
    slicks.sort(key=lambda s: -s[0])
    return [
        Slick(
            number=number,
            area_km2=area / M2_PER_KM2,
            perimeter_km=perimeter / 1000.0,
            length_km=length / 1000.0,
            centroid_lon=centroid[0],
            centroid_lat=centroid[1],
            geometry=outline,
        )
        for number, (area, perimeter, length, centroid, outline) in enumerate(slicks, 1)
    ]


def _project_all(rings: list[Floats], frame: GroundFrame, plane: bool) -> list[Floats]:
    """Every ring through PROJ in one call: to the plane (metres) or to lon/lat."""
    stacked = np.vstack(rings)
    if plane:
        xs, ys = frame.to_plane(stacked[:, 0], stacked[:, 1])
    else:
        xs, ys = frame.georef.to_lonlat(stacked[:, 0], stacked[:, 1])
    ends = np.cumsum([len(ring) for ring in rings])[:-1]
    return np.split(np.column_stack([xs, ys]), ends)


def _measure(
    polygons: list[list[Floats]], frame: GroundFrame
) -> list[tuple[float, float, float, tuple[float, float]]]:
    """(area m², perimeter m, longest extent m, centroid lon/lat) of each polygon."""
    dense = [[densify(ring) for ring in rings] for rings in polygons]
    projected = iter(_project_all([ring for rings in dense for ring in rings], frame, True))
    results = []
    centroids_x, centroids_y = [], []
    for rings in dense:
        total = sx = sy = perimeter = 0.0
        length = 0.0
        for index in range(len(rings)):
            ring = next(projected)
            area, cx, cy = ring_centroid(ring[:, 0], ring[:, 1])
            area = abs(area) if index == 0 else -abs(area)  # holes take away
            total += area
            sx += area * cx
            sy += area * cy
            perimeter += ring_length(ring[:, 0], ring[:, 1])
            if index == 0:
                length = longest_extent(ring[:, 0], ring[:, 1])
        centroids_x.append(sx / total if total else 0.0)
        centroids_y.append(sy / total if total else 0.0)
        results.append((total, perimeter, length))
    lon, lat = frame.plane_to_lonlat(np.array(centroids_x), np.array(centroids_y))
    return [
        (total, perimeter, length, (float((lo + 180.0) % 360.0 - 180.0), float(la)))
        for (total, perimeter, length), lo, la in zip(results, lon, lat, strict=True)
    ]


def _outlines(polygons: list[list[Floats]], frame: GroundFrame) -> list[dict[str, object]]:
    """Each polygon simplified in pixels, in lon/lat, cut at the antimeridian if it must."""
    simplified: list[list[Floats]] = []
    for rings in polygons:
        exterior = simplify_ring(rings[0])
        if exterior is None:  # a lone pixel or a thin line: its corners are its outline
            exterior = rings[0]
        holes = [h for h in (simplify_ring(ring) for ring in rings[1:]) if h is not None]
        simplified.append([exterior, *holes])
    lonlat = iter(_project_all([r for rings in simplified for r in rings], frame, False))
    geometries: list[dict[str, object]] = []
    for rings in simplified:
        parts = polygon_parts([next(lonlat) for _ in rings])
        coordinates = [[_positions(ring) for ring in part] for part in parts]
        if len(coordinates) == 1:
            geometries.append({"type": "Polygon", "coordinates": coordinates[0]})
        else:
            geometries.append({"type": "MultiPolygon", "coordinates": coordinates})
    return geometries


def _positions(ring: Floats) -> list[list[float]]:
    """Positions rounded to 1e-7° (about a centimetre): RFC 7946's advice on precision."""
    return [[round(float(x), 7), round(float(y), 7)] for x, y in ring]
