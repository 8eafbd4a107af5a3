"""quicklook: a PNG of an interferogram with the cyclic colour ramp and its labels."""
from __future__ import annotations

from pathlib import Path

from .base import Operation, checked_output
from .params import INPUT_FILE, OUTPUT_FILE, PNG, Param
from .result import Result


def run(p, progress) -> Result:
    from ..interferograms.quicklook import render_quicklook
    from ..labels.store import read_label_file

    checked_output(p["out"], [p["interferogram"], p["coherence"], p["labels"]],
                   [Path(p["labels"]).parent] if p["labels"] else (), suffixes=PNG)
    label_set = read_label_file(p["labels"]) if p["labels"] else None
    notes = list(label_set.warnings) if label_set else []
    png = render_quicklook(p["interferogram"], p["out"], p["coherence"],
                           label_set.labels if label_set else (), notes=notes)
    result = Result()
    result.note(*notes)
    result.files["out"] = Path(png)
    result.say(str(png))
    return result


OPERATION = Operation(
    name="quicklook", processing_id="quicklook", title="Quick-look PNG of an interferogram",
    help="PNG of an interferogram with the cyclic colour ramp", group="Workspace",
    description="A PNG of the wrapped phase with the cyclic colour ramp (and the coherence "
                "map beside it when given), with the boxes of a label file drawn on it.",
    params=(
        Param("interferogram", INPUT_FILE, "Interferogram", "the interferogram raster",
              positional=True),
        Param("coherence", INPUT_FILE, "Coherence", "its coherence map", optional=True),
        Param("labels", INPUT_FILE, "Label file", "label shapefile to draw", optional=True,
              suffixes=(".shp",)),
        Param("out", OUTPUT_FILE, "Quick-look (PNG)", "the PNG to write", suffixes=PNG,
              processing_name="OUTPUT"),
    ),
    runner=run)
