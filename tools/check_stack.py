"""Fail early, with a readable line, when the Python/QGIS stack is not what setup promised."""
import sys

problems = []
for module in ("qgis.core", "qgis.gui", "numpy", "rasterio", "fiona", "geopandas", "shapely",
               "scipy", "matplotlib", "numba", "pytest", "pytest_qgis"):
    try:
        __import__(module)
    except Exception as exc:  # noqa: BLE001 - report every missing piece, not only the first
        problems.append(f"{module}: {exc}")
if not problems:
    import numpy
    import rasterio
    from osgeo import gdal

    if numpy.__version__.split(".")[0] != "1":
        problems.append(f"numpy {numpy.__version__}: Debian's numpy 1.x expected (a pip numpy "
                        "shadows it and breaks rasterio/QGIS)")
    if rasterio.__gdal_version__ != gdal.__version__:
        problems.append(f"two GDALs loaded: rasterio uses {rasterio.__gdal_version__}, QGIS "
                        f"{gdal.__version__} (remove pip rasterio/fiona from the venv)")
if problems:
    print("setup check failed:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
