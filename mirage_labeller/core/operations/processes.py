"""processes: step 3, a dataset's labels grouped into mass-movement processes.

The label set is read strictly: a file that cannot be read whole stops the run, naming it,
instead of a grouping that silently misses its labels.
"""
from __future__ import annotations

from .base import Operation, checked_output, existing_folder, label_folder
from .params import FLOAT, GPKG, INPUT_FOLDER, OUTPUT_FILE, Param
from .result import Result, ValueSpec

MIN_OVERLAP, MAX_AREA_RATIO = 0.5, 9.0  # core.dataset.processes' defaults


def run(p, progress) -> Result:
    from ..base.errors import InputError
    from ..dataset.processes import group_labels, read_label_dir, summarise, write_processes

    folder = existing_folder(label_folder(p["labeldir"]))  # a workspace: its labels/
    checked_output(p["out"], [folder], [folder], suffixes=GPKG)
    table = read_label_dir(folder, progress.part(0.0, 0.8), progress.cancelled, strict=True)
    result = Result()
    result.note(*table.warnings)
    if len(table) == 0:
        raise InputError(f"{folder}: no labels found")
    progress(0.8, "grouping")
    processes = group_labels(table, p["min_overlap"], p["max_area_ratio"])
    progress.check()
    out = write_processes(table, processes, p["out"])
    s = summarise(processes)
    result.say(f"{s['labels']} labels, {s['processes']} processes ({s['seen_once']} seen in "
               f"one interferogram only, {s['conflicts']} with a class conflict)")
    for proc in processes:
        if proc.conflict:
            result.say(f"  conflict {proc.pid}: {proc.class_text()} "
                       f"(majority {proc.majority_class})")
    result.wrote("out", out)
    result.values.update({"N_LABELS": s["labels"], "N_PROCESSES": s["processes"],
                          "N_CONFLICTS": s["conflicts"]})
    progress(1.0, "done")
    return result


OPERATION = Operation(
    name="processes", processing_id="processes",
    title="Group labels into mass-movement processes (step 3)",
    help="group labels into mass-movement processes", group="Labels",
    description="Labels of different interferograms are the same movement when their overlap "
                "covers at least MIN_OVERLAP of the smaller box and their areas differ by at "
                "most MAX_AREA_RATIO; processes are the connected groups. Writes a GeoPackage "
                "with layers 'processes' (union of the boxes), 'envelopes' and 'members' "
                "(stem, Id, pid), with label count, interferograms, baselines, first and last "
                "date, tracks, majority class, class conflicts and mean Sign_Qual.",
    params=(
        Param("labeldir", INPUT_FOLDER, "Label folder (or workspace)",
              "a folder of label shapefiles, or a workspace", positional=True,
              processing_name="FOLDER"),
        Param("out", OUTPUT_FILE, "Processes", "output GeoPackage, e.g. processes.gpkg",
              suffixes=GPKG, processing_name="OUTPUT"),
        Param("min_overlap", FLOAT, "Minimum overlap (share of the smaller box)",
              "share of the smaller box that must overlap", default=MIN_OVERLAP,
              minimum=0.01, maximum=1.0),
        Param("max_area_ratio", FLOAT, "Maximum area ratio",
              "largest area ratio of two boxes of one movement", default=MAX_AREA_RATIO,
              minimum=1.0),
    ),
    values=(ValueSpec("N_LABELS", "number", "Number of labels"),
            ValueSpec("N_PROCESSES", "number", "Number of processes"),
            ValueSpec("N_CONFLICTS", "number", "Processes with a class conflict")),
    runner=run, shows_progress=True)
