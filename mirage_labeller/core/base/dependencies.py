"""The Python packages the plugin needs beyond QGIS itself, and how to get them."""
from __future__ import annotations

import importlib
from typing import List

REQUIRED = ("numpy", "rasterio", "fiona", "shapely")
HOW_TO_INSTALL = (
    "Debian/Ubuntu: sudo apt install python3-rasterio python3-fiona python3-shapely; "
    "Windows (OSGeo4W): run the OSGeo4W setup in Advanced mode and add the python3-rasterio, "
    "python3-fiona and python3-shapely packages, or run 'python -m pip install rasterio fiona' "
    "in the OSGeo4W Shell; macOS: python3 -m pip install rasterio fiona from QGIS's Python")


def missing_packages() -> List[str]:
    missing = []
    for name in REQUIRED:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing
