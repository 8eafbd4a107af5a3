"""report: the dataset report of a label folder (core.dataset.report)."""
from __future__ import annotations

from .base import Operation, checked_output, existing_folder, label_folder
from .params import HTML, INPUT_FOLDER, OUTPUT_FILE, Param
from .result import Result


def run(p, progress) -> Result:
    from ..dataset.report import build_report, output_paths

    existing_folder(p["labeldir"])
    inputs, guarded = [p["ifg"], p["morphometry"]], [label_folder(p["labeldir"])]
    checked_output(p["out"], inputs, guarded, suffixes=HTML)
    for out in output_paths(p["out"]):
        checked_output(out, inputs, guarded)
    done = build_report(p["labeldir"], p["out"], p["ifg"], p["morphometry"], progress,
                        progress.cancelled)
    result = Result(data=done)
    result.note(*done.problems, *done.warnings)
    result.wrote("out", done.html)
    for name, path in done.csvs.items():
        result.wrote(f"csv_{name}", path)
    return result


OPERATION = Operation(
    name="report", processing_id="datasetreport", title="Dataset report",
    help="dataset report (HTML with figures, CSV tables)", group="Labels",
    description="One HTML file (figures embedded) with CSV tables beside it: the paper's "
                "Table 2 per region, Fig. 3 (baselines per class), track and quality shares, "
                "Fig. 7 (terrain inside labels against an equal random sample outside, per "
                "class), Fig. 8 (frequency-area distribution with maximum-likelihood power-law "
                "fits) and the processes from the grouping.",
    params=(
        Param("labeldir", INPUT_FOLDER, "Label folder", "the label folder (or a workspace)",
              positional=True, processing_name="FOLDER"),
        Param("ifg", INPUT_FOLDER, "Workspace (its dem/ terrain layers are used)",
              "the workspace (its dem/ terrain layers are used)", optional=True,
              processing_name="WORKSPACE"),
        Param("morphometry", INPUT_FOLDER, "Folder of terrain layers",
              "a folder of terrain layers (slope.tif, tri.tif, ...)", optional=True),
        Param("out", OUTPUT_FILE, "Report", "the report, e.g. report.html", suffixes=HTML,
              processing_name="OUTPUT"),
    ),
    runner=run, shows_progress=True)
