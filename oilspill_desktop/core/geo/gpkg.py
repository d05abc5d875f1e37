"""Slicks as a GeoPackage layer (OGC 12-128r18, version 1.3), written with sqlite3.

rasterio carries GDAL's raster side only; GDAL's vector drivers would come with fiona or
pyogrio, each with a second copy of GDAL in its wheel (another 60 MB in the bundle). A
GeoPackage is an SQLite file with three metadata tables and a feature table whose
geometries are WKB behind a small header, which the standard library writes exactly.
``ogrinfo`` reads what this writes (``tests/core/test_geo_export.py``).

Every geometry is stored as a MULTIPOLYGON (a slick cut at the antimeridian has two
parts), in EPSG:4326, longitude first, as GeoPackage stores geographic coordinates.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import struct
import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

LAYER = "slicks"
_APPLICATION_ID = 0x47504B47  # "GPKG"
_USER_VERSION = 10300
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)
_COLUMNS = (
    ("image", "TEXT"),
    ("slick", "INTEGER"),
    ("area_km2", "REAL"),
    ("perimeter_km", "REAL"),
    ("length_km", "REAL"),
    ("centroid_lon", "REAL"),
    ("centroid_lat", "REAL"),
)

Ring = Sequence[Sequence[float]]


def write_geopackage(path: Path, features: Iterable[dict[str, object]]) -> int:
    """Write the GeoJSON ``features`` as the ``slicks`` layer of a new GeoPackage.

    The file is built beside ``path`` and renamed into place: it is complete or absent.
    Returns the number of features written.
    """
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(temporary)) as db:
            count = _fill(db, features)
            db.commit()
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return count


def _fill(db: sqlite3.Connection, features: Iterable[dict[str, object]]) -> int:
    _create_tables(db)
    bounds = [180.0, 90.0, -180.0, -90.0]
    count = 0
    marks = ", ".join("?" * (len(_COLUMNS) + 1))
    names = ", ".join(name for name, _kind in _COLUMNS)
    for feature in features:
        polygons = _polygons(feature.get("geometry"))
        if not polygons:
            continue
        blob, envelope = _geometry_blob(polygons)
        bounds = [
            min(bounds[0], envelope[0]),
            min(bounds[1], envelope[2]),
            max(bounds[2], envelope[1]),
            max(bounds[3], envelope[3]),
        ]
        properties = feature.get("properties")
        values = properties if isinstance(properties, dict) else {}
        db.execute(
            f"INSERT INTO {LAYER} (geom, {names}) VALUES ({marks})",
            [blob, *(values.get(name) for name, _kind in _COLUMNS)],
        )
        count += 1
    if not count:
        bounds = [0.0, 0.0, 0.0, 0.0]
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    db.execute(
        "INSERT INTO gpkg_contents VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, 4326)",
        (LAYER, LAYER, "Oil slicks found by Oil Spill Desktop", now, *bounds),
    )
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', 4326, 0, 0)",
        (LAYER,),
    )
    return count


def _create_tables(db: sqlite3.Connection) -> None:
    """The GeoPackage's identity, its three required tables and the empty feature table."""
    db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {_USER_VERSION}")
    db.executescript(
        """
        CREATE TABLE gpkg_spatial_ref_sys (
            srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
            organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
            definition TEXT NOT NULL, description TEXT);
        CREATE TABLE gpkg_contents (
            table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
            identifier TEXT UNIQUE, description TEXT DEFAULT '',
            last_change DATETIME NOT NULL, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE,
            max_y DOUBLE, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (
            table_name TEXT NOT NULL, column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
            z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
        """
    )
    db.executemany(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", None),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", None),
            ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, "longitude/latitude"),
        ],
    )
    columns = ", ".join(f"{name} {kind}" for name, kind in _COLUMNS)
    db.execute(
        f"CREATE TABLE {LAYER} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON, "
        f"{columns})"
    )


def _polygons(geometry: object) -> list[list[Ring]]:
    if not isinstance(geometry, dict):
        return []
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Polygon" and isinstance(coordinates, list):
        return [coordinates]
    if geometry.get("type") == "MultiPolygon" and isinstance(coordinates, list):
        return list(coordinates)
    return []


def _geometry_blob(polygons: list[list[Ring]]) -> tuple[bytes, tuple[float, float, float, float]]:
    """GeoPackage binary: 'GP', version 0, flags (little endian, XY envelope), srs, WKB."""
    xs = [point[0] for polygon in polygons for ring in polygon for point in ring]
    ys = [point[1] for polygon in polygons for ring in polygon for point in ring]
    envelope = (min(xs), max(xs), min(ys), max(ys))
    header = b"GP" + bytes([0, 0b0000_0011]) + struct.pack("<i4d", 4326, *envelope)
    wkb = [struct.pack("<BII", 1, 6, len(polygons))]  # MultiPolygon
    for polygon in polygons:
        wkb.append(struct.pack("<BII", 1, 3, len(polygon)))  # Polygon
        for ring in polygon:
            wkb.append(struct.pack("<I", len(ring)))
            wkb.append(struct.pack(f"<{2 * len(ring)}d", *(c for p in ring for c in p[:2])))
    return header + b"".join(wkb), envelope
