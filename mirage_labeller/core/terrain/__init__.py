"""Terrain: layers derived from a DEM and the step-2 check of a box against them.

``morphometry`` (hillshade, slope, aspect, curvatures, TRI: Horn and Zevenbergen-Thorne as
gdaldem and SAGA), ``hydrology`` (depression fill, D8, accumulation, TWI), ``arctangent``
(the compiled atan2), ``layers`` (names, types, nodata), ``check`` (inside a box against
outside every label), ``workspace_check`` (the check of a workspace's labels).
"""
