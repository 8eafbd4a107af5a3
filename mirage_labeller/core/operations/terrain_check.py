"""terrain-check: step 2, the terrain in a box against the ground outside every label."""
from __future__ import annotations

from pathlib import Path

from .base import Operation, checked_output
from .params import BOX, FLOAT, INPUT_FOLDER, INT, NUMBERS, OUTPUT_FILE, PNG, STRING, Param
from .result import Result, Table, TableSpec, ValueSpec

_FIELDS = (("layer", "string"), ("median_box", "float"), ("median_outside", "float"),
           ("ks_d", "float"), ("ks_p", "float"), ("n_box", "int"), ("n_outside", "int"))


def run(p, progress) -> Result:
    from ..terrain.check import render_histograms
    from ..terrain.workspace_check import check_workspace_box

    checked_output(p["png"], [p["workspace"]], [Path(p["workspace"]) / "labels"],
                   suffixes=PNG)
    progress(0.0, "reading the terrain in and around the box")
    check, item, notes = check_workspace_box(p["workspace"], p["interferogram"], p["id"] or (),
                                             p["cls"], p["box"], p["threshold"])
    result = Result()
    result.note(*notes)
    result.say(f"{item.label_stem}  IFG {item.meta.ifg or '?'}  Bt {item.meta.bt or '?'}  "
               f"Traj {item.meta.traj or '?'}")
    result.say(f"{'layer':<18} {'box':>9} {'outside':>9} {'KS D':>6} {'p':>8} {'n box':>7}")
    table = Table()
    for c in check.comparisons:
        kind = " (circular mean)" if c.circular else ""
        result.say(f"{c.name:<18} {c.median_inside:9.3f} {c.median_outside:9.3f} "
                   f"{c.ks_d:6.2f} {c.ks_p:8.2g} {c.inside.size:7d}{kind}")
        table.rows.append([c.name, c.median_inside, c.median_outside, c.ks_d, c.ks_p,
                           int(c.inside.size), int(c.outside.size)])
    result.tables["OUTPUT"] = table
    for fact in check.facts:
        result.say(f"  {fact}")
    for warning in check.warnings:
        result.say(f"  ! {warning}")
    result.values["WARNINGS"] = len(check.warnings)
    if p["png"]:
        title = f"{item.meta.ifg or item.label_stem} {item.meta.traj or ''}"
        result.wrote("png", render_histograms(check, p["png"], title))
    progress(1.0, "done")
    return result


OPERATION = Operation(
    name="terrain-check", processing_id="terraincheck",
    title="Terrain check of labels or a box (step 2)",
    help="terrain in a box against ground outside labels", group="Terrain",
    description="Step 2: each terrain layer of the workspace (dem/) inside the box(es) against "
                "an equal random sample outside every label, as in Fig. 7 of the MIRAGE paper: "
                "medians (circular mean for aspect), Kolmogorov-Smirnov D and p, and warnings "
                "(flat terrain, low line-of-sight sensitivity for the track, inventory "
                "overlap, low coherence). Give label Ids, a class, or a box in the labels' "
                "CRS.",
    params=(
        Param("workspace", INPUT_FOLDER, "Workspace", "the workspace (its dem/ layers are used)",
              positional=True),
        Param("interferogram", STRING, "Interferogram (IFG, label stem or file name)",
              "its IFG (20190805_20190817), label stem or file name", positional=True),
        Param("id", NUMBERS, "Label Ids (comma-separated)", "label Id(s) of that interferogram",
              number=INT, many=True, optional=True, one_of="boxes", processing_name="IDS"),
        Param("cls", STRING, "or every label of class", "every label of this class, e.g. RG",
              optional=True, one_of="boxes", flag="--class", processing_name="CLASS"),
        Param("box", BOX, "or a box xmin,ymin,xmax,ymax", "a box in the labels' CRS",
              count=4, optional=True, one_of="boxes",
              metavar=("XMIN", "YMIN", "XMAX", "YMAX")),
        Param("threshold", FLOAT, "Coherence threshold", "coherence threshold", default=0.2,
              minimum=0.0, maximum=1.0),
        Param("png", OUTPUT_FILE, "Histograms (PNG)", "also draw the histograms here",
              suffixes=PNG, optional=True),
    ),
    tables=(TableSpec("OUTPUT", "Terrain comparison", _FIELDS),),
    values=(ValueSpec("WARNINGS", "number", "Number of warnings"),),
    runner=run)
