"""``slicks.geojson``: every slick of a job in one RFC 7946 FeatureCollection.

Each image's features are kept in its own small file as the image finishes; the
collection is streamed from those files when the results zip is assembled, so a survey
of thousands of scenes never holds all its outlines at once. Coordinates are WGS 84
longitude, latitude (RFC 7946 has no ``crs`` member: that is implied).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from ..atomic import write_bytes_atomic


def write_collection(stream: IO[bytes], feature_files: Iterable[Path]) -> int:
    """Stream a FeatureCollection of the features in ``feature_files``; how many there were."""
    return _write_features(
        stream, (feature for path in feature_files for feature in json.loads(path.read_bytes()))
    )


def read_features(data: bytes, image: str | None = None) -> list[dict[str, object]]:
    """The features of a ``slicks.geojson`` (those of ``image`` alone when it is given)."""
    collection = json.loads(data)
    features = collection.get("features", []) if isinstance(collection, dict) else []
    return [
        feature
        for feature in features
        if isinstance(feature, dict)
        and (image is None or (feature.get("properties") or {}).get("image") == image)
    ]


def write_geojson(path: Path, features: Iterable[dict[str, object]]) -> int:
    """Write ``features`` as a FeatureCollection file, complete or absent."""
    stream = io.BytesIO()
    count = _write_features(stream, features)
    write_bytes_atomic(path, stream.getvalue())
    return count


def _write_features(stream: IO[bytes], features: Iterable[dict[str, object]]) -> int:
    stream.write(b'{"type": "FeatureCollection", "features": [')
    count = 0
    for feature in features:
        stream.write(b",\n" if count else b"\n")
        stream.write(json.dumps(feature, ensure_ascii=False).encode("utf-8"))
        count += 1
    stream.write(b"\n]}\n")
    return count
