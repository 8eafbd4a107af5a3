"""The terrain layers the plugin derives from a DEM: their names, types and nodata values.

One place for what the local pass (morphometry), the flow routing (hydrology), the terrain
check and the dataset report all name, so none of them imports another for a constant.
"""
from __future__ import annotations

LAYERS = ("hillshade", "slope", "aspect", "profile_curvature", "plan_curvature", "tri", "twi")
LOCAL = LAYERS[:-1]  # computed from a 3x3 window; TWI needs the whole DEM's flow routing
NODATA = -9999.0
DTYPES = {name: "float32" for name in LAYERS}
DTYPES["hillshade"] = "uint8"
NODATA_OF = {name: NODATA for name in LAYERS}
NODATA_OF["hillshade"] = 0.0
