"""What every package uses, and nothing domain-specific.

- ``errors``: the one family of errors for bad input (file, problem, what to do);
- ``progress``: the one progress and cancel protocol (``Progress``, ``Cancelled``);
- ``crs``: every CRS comparison, conversion and area;
- ``outputs``: where a command may write, and writing complete-or-absent;
- ``messages``: English sentences the GUI can translate (``Msg``);
- ``numba``: the compiled-loop decorator and its cache folder;
- ``blockio``, ``geotiff``: block-wise raster reading and tiled GeoTIFF writing;
- ``palettes``, ``dependencies``: the cyclic phase ramp; the packages the plugin needs.

Modules here import nothing from the other core packages.
"""
