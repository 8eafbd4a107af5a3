"""audit: every problem of a label set, read-only (core.dataset.audit).

Findings are the product, not a failure: the run completes and the status is 1 when there is
an error among them, so a script (or a CI job over a dataset) can stop on it.
"""
from __future__ import annotations

from .base import Operation, checked_output, label_folder
from .params import BOOL, CSV, FLOAT, GPKG, HTML, INPUT_FOLDER, OUTPUT_FILE, Param
from .result import Result, Table, TableSpec, ValueSpec

_FIELDS = (("severity", "string"), ("file", "string"), ("check", "string"),
           ("message", "string"), ("label_id", "int"))


def run(p, progress) -> Result:
    from ..dataset.audit import (
        ERROR,
        INFO,
        WARNING,
        audit_label_dir,
        write_findings_csv,
        write_findings_gpkg,
        write_findings_html,
    )

    for name, kind in (("csv", CSV), ("html", HTML), ("gpkg", GPKG)):
        checked_output(p[name], [p["ifg"]], [label_folder(p["labeldir"])], suffixes=kind)
    report = audit_label_dir(p["labeldir"], p["ifg"], p["threshold"], progress.part(0.0, 0.95),
                             progress.cancelled)
    result = Result(data=report)
    table = Table(crs=report.crs)  # the labels' own CRS; boxes of other files converted
    for f in report.sorted():
        if f.severity != INFO or p["verbose"]:
            result.say(f"{f.severity:<7} {f.check:<24} {f.message}")
        table.rows.append([f.severity, f.file, f.check, str(f.message), f.label_id])
        table.bounds.append(report.bounds_in(f, report.crs))
    result.tables["OUTPUT"] = table
    result.say(f"{report.files} file(s), {report.labels} label(s): {report.count(ERROR)} "
               f"error(s), {report.count(WARNING)} warning(s), {report.count(INFO)} note(s)")
    for name, write in (("csv", write_findings_csv), ("html", write_findings_html),
                        ("gpkg", write_findings_gpkg)):
        if p[name]:
            write(report, p[name])
            result.wrote(name, p[name])
    result.values.update({"ERRORS": report.count(ERROR), "WARNINGS": report.count(WARNING)})
    result.status = 1 if report.has_errors else 0
    progress(1.0, "done")
    return result


OPERATION = Operation(
    name="audit", processing_id="audit", title="Audit a label set",
    help="find every problem in a label set (read-only)", group="Labels",
    description="Every problem of the label files of LABELDIR, with severity, file and label "
                "Id: schema (fields, types, .prj, encoding), values (class, region, Sign_Qual, "
                "Class_Unc, IFG, Bt, Traj), geometry (invalid, not an N-S rectangle, area) and "
                "duplicates; with the workspace also IFG/Traj against each file's "
                "interferogram, footprint, nodata and coherence. Only reads. Exit status 1 "
                "when there is an error.",
    params=(
        Param("labeldir", INPUT_FOLDER, "Label folder", "the label folder to audit",
              positional=True, processing_name="FOLDER"),
        Param("ifg", INPUT_FOLDER, "Workspace of the interferograms (optional)",
              "the workspace (or folder of interferograms) of the labels", optional=True,
              processing_name="WORKSPACE"),
        Param("csv", OUTPUT_FILE, "Findings (CSV)",
              "findings as CSV (severity, file, label_id, check, message)", suffixes=CSV,
              optional=True),
        Param("html", OUTPUT_FILE, "Report (HTML)", "a report to read", suffixes=HTML,
              optional=True),
        Param("gpkg", OUTPUT_FILE, "Findings (GeoPackage)",
              "findings as a GeoPackage layer (the label boxes)", suffixes=GPKG,
              optional=True, advanced=True),
        Param("threshold", FLOAT, "Coherence threshold", "coherence threshold", default=0.2,
              minimum=0.0, maximum=1.0),
        Param("verbose", BOOL, "List notes too", "also print notes (info)", advanced=True),
    ),
    tables=(TableSpec("OUTPUT", "Findings", _FIELDS, geometry="polygon"),),
    values=(ValueSpec("ERRORS", "number", "Number of errors"),
            ValueSpec("WARNINGS", "number", "Number of warnings")),
    runner=run, shows_progress=True)
