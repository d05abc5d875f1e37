"""rasterio for the bundle: its Cython modules, and GDAL's and PROJ's data for offline use.

rasterio's extension modules import one another from C, where PyInstaller cannot see it,
so every submodule is collected (``rasterio.features`` imports helpers from the ``rio``
command line's package, so that stays too). ``gdal_data`` and ``proj_data`` (proj.db:
every CRS definition) go where rasterio looks for them beside its package, so GDAL and
PROJ never search the machine or the network. Its grafted libraries (``rasterio.libs``:
GDAL, PROJ, GEOS and what GDAL links) follow from the extension modules' own links.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("rasterio")
datas = collect_data_files("rasterio", includes=["gdal_data/**", "proj_data/**"])
