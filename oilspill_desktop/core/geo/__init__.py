"""Georeferenced scenes: where a GeoTIFF lies, slicks measured on the ground, map outputs.

Qt-free like the rest of the core; GDAL and PROJ come through rasterio.
"""
