"""rasterio for the bundle: its Cython modules, and GDAL's and PROJ's data for offline use.

rasterio's extension modules import one another from C, where PyInstaller cannot see it,
so its submodules are collected, less the ones nothing the app runs reaches: the ``rio``
command line (only ``rio.helpers`` stays: ``rasterio.features`` imports it), the example
module and nodata filling. ``proj_data`` (proj.db: every CRS definition) goes where
rasterio looks for it beside its package, so PROJ never searches the machine or the
network. Of ``gdal_data``, what reading and writing GeoTIFFs can open stays:
``gdalvrt.xsd`` (rasterio recognises the folder by it), the CRS dictionaries (ESRI State
Plane WKT, GeoTIFF datum and ellipsoid tables), and the licence; the other formats'
tables (GRIB, NITF, PDS4, netCDF, OSM, OziExplorer, PCI, ECW), tile-matrix sets, schemas
and logos do not (GDAL opens none of them for a GeoTIFF: traced over the geodata tests).
Its grafted libraries (``rasterio.libs``: GDAL, PROJ, GEOS and what GDAL links) follow
from the extension modules' own links.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

UNUSED = ("rasterio.rio.", "rasterio._example", "rasterio.fill", "rasterio._fill")


def used(name):
    return name == "rasterio.rio.helpers" or not name.startswith(UNUSED)


hiddenimports = collect_submodules("rasterio", filter=used)
excludedimports = ["rasterio.rio.main", "rasterio._example", "rasterio.fill", "rasterio._fill"]
datas = collect_data_files(
    "rasterio",
    includes=[
        "proj_data/**",
        "gdal_data/LICENSE.TXT",
        "gdal_data/gdalvrt.xsd",
        "gdal_data/*.wkt",
        "gdal_data/gt_*.csv",
        "gdal_data/stateplane.csv",
    ],
    excludes=["gdal_data/ecw_cs.wkt"],
)
