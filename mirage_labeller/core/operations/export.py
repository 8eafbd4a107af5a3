"""export: a training set for a detector, YOLO or COCO (core.dataset.export)."""
from __future__ import annotations

from pathlib import Path

from ..base.errors import OutputError
from .base import Operation, checked_output, existing_folder, label_folder
from .params import CHOICE, FLOAT, INPUT_FOLDER, INT, NUMBERS, OUTPUT_FOLDER, STRING, Param
from .result import Result, ValueSpec

# core.dataset.export's FORMATS, RECIPES, IMAGE_FORMATS (a test keeps them equal)
FORMATS, RECIPES, IMAGE_FORMATS = ("yolo", "coco"), ("cos_sin_coh", "phase_coh_terrain"), \
    ("png", "tif")


def run(p, progress) -> Result:
    from ..dataset.export import ExportConfig, export_training_set

    existing_folder(p["labeldir"])
    out = checked_output(p["out"], [p["ifg"], p["labeldir"]], [label_folder(p["labeldir"])],
                         folder=True)
    if out.resolve() in (Path(p["ifg"]).resolve(), Path(p["labeldir"]).resolve()):
        raise OutputError.at(p["out"], "is an input folder of this command",
                             "export into a folder of its own")
    config = ExportConfig(fmt=p["format"], chip=p["chip"], overlap=p["overlap"],
                          recipe=p["recipe"], terrain_layer=p["terrain_layer"],
                          image_format=p["image_format"], min_visible=p["min_visible"],
                          negative_rate=p["negative_rate"], split=tuple(p["split"]),
                          seed=p["seed"])
    done = export_training_set(p["labeldir"], p["ifg"], p["out"], config, progress,
                               progress.cancelled)
    result = Result()
    result.lines.extend(done.summary().splitlines())
    result.files["out"] = Path(done.out_dir)
    result.files["manifest"] = Path(done.manifest)
    result.values.update({"CHIPS": done.chips, "BOXES": done.boxes})
    return result


OPERATION = Operation(
    name="export", processing_id="export",
    title="Training set for a detector (YOLO, COCO)",
    help="training set for a detector (YOLO or COCO)", group="Labels",
    description="Chips at native resolution from every interferogram, boxes in chip pixels, "
                "negatives, a train/val/test split grouped by process and stratified by "
                "class, and a manifest to map predictions back.",
    params=(
        Param("labeldir", INPUT_FOLDER, "Label folder", "the label folder", positional=True,
              processing_name="FOLDER"),
        Param("ifg", INPUT_FOLDER, "Workspace", "the workspace of the interferograms",
              processing_name="WORKSPACE"),
        Param("format", CHOICE, "Format", "the training-set layout", default="yolo",
              choices=FORMATS),
        Param("out", OUTPUT_FOLDER, "Output folder", "output folder",
              processing_name="OUTPUT"),
        Param("chip", INT, "Chip size (pixels)", "chip side in pixels", default=640,
              minimum=32, maximum=8192),
        Param("overlap", FLOAT, "Overlap of chips", "share of a chip shared with its "
              "neighbour (0 to below 1)", default=0.2, advanced=True),
        Param("recipe", CHOICE, "Channels", "channels: cos, sin of the phase and coherence "
              "(no seam at +-pi), or phase, coherence and a terrain layer",
              default="cos_sin_coh", choices=RECIPES, advanced=True),
        Param("terrain_layer", STRING, "Terrain layer of phase_coh_terrain",
              "the terrain layer of phase_coh_terrain (a name in dem/)", default="slope",
              advanced=True),
        Param("image_format", CHOICE, "Image format", "chip files: PNG or GeoTIFF",
              default="png", choices=IMAGE_FORMATS, advanced=True),
        Param("min_visible", FLOAT, "Minimum visible share of a box",
              "drop boxes showing less than this share in a chip (above 0, at most 1)",
              default=0.5, advanced=True),
        Param("negative_rate", FLOAT, "Share of negatives kept",
              "share of chips without labels kept as negatives", default=0.1, minimum=0.0,
              maximum=1.0, advanced=True),
        Param("split", NUMBERS, "Split train,val,test", "train,val,test shares",
              default=(0.7, 0.15, 0.15), separator=",", count=3,
              metavar=("TRAIN", "VAL", "TEST"), advanced=True),
        Param("seed", INT, "Seed", "the seed of the split and of the negatives", default=0,
              minimum=0, maximum=2 ** 31, advanced=True),
    ),
    values=(ValueSpec("CHIPS", "number", "Chips written"),
            ValueSpec("BOXES", "number", "Boxes written")),
    runner=run, shows_progress=True)
