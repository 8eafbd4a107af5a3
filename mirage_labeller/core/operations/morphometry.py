"""morphometry: the terrain layers of step 2 from a DEM (core.terrain.morphometry)."""
from __future__ import annotations

from pathlib import Path

from ..base.errors import InputError
from ..terrain.layers import LAYERS
from .base import Operation, checked_output
from .params import INPUT_FILE, OUTPUT_FOLDER, STRINGS, Param
from .result import Result


def run(p, progress) -> Result:
    from ..terrain.morphometry import derive_morphometry

    dem = Path(p["dem"])
    if not dem.exists():
        raise InputError(f"{p['dem']}: " + ("a link to something that does not exist"
                                            if dem.is_symlink() else "file not found"))
    checked_output(p["outdir"], [p["dem"]], folder=True)
    # an unknown layer is core's to name (the list is one word on the command line)
    done = derive_morphometry(p["dem"], p["outdir"], p["layers"] or LAYERS, progress,
                              progress.cancelled)
    result = Result()
    result.note(*done.messages)
    result.files["outdir"] = Path(p["outdir"])
    for name, path in done.paths.items():
        result.files[name] = Path(path)
        result.say(str(path))
    return result


OPERATION = Operation(
    name="morphometry", processing_id="morphometry", title="Terrain layers from a DEM (step 2)",
    help="terrain layers from a DEM", group="Terrain",
    description="Write hillshade, slope, aspect (Horn, as gdaldem), profile and plan "
                "curvature (Zevenbergen & Thorne), TRI (Riley) and TWI (D8 over a Wang & Liu "
                "filled DEM) block-wise, as tiled compressed GeoTIFFs on the DEM's grid. A DEM "
                "in degrees is handled with metric pixel sizes per row.",
    params=(
        Param("dem", INPUT_FILE, "DEM", "the DEM (GeoTIFF or any raster GDAL reads)",
              positional=True, layer="raster"),
        Param("outdir", OUTPUT_FOLDER, "Output folder", "the folder of the layers",
              positional=True, processing_name="OUTPUT"),
        Param("layers", STRINGS, "Layers", "a subset of the layers, e.g. slope,aspect,twi",
              default=LAYERS, choices=LAYERS, separator=",", optional=True),
    ),
    runner=run, shows_progress=True)
