"""The audit's findings written out: CSV (one row a finding), HTML (a summary by check, then
every finding) and GeoPackage (a layer ``findings``, each label's box as its polygon).
"""
from __future__ import annotations

import csv
import html
import math
from pathlib import Path
from typing import Optional, Union

from ...base.outputs import output_file
from .findings import ERROR, INFO, SEVERITY_ORDER, WARNING, AuditReport

CSV_COLUMNS = ("severity", "file", "label_id", "check", "message", "xmin", "ymin", "xmax",
               "ymax")


def write_findings_csv(report: AuditReport, path: Union[str, Path]) -> None:
    with output_file(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for f in report.sorted():
            writer.writerow(f.row())


def write_findings_gpkg(report: AuditReport, path: Union[str, Path],
                        crs: Optional[str] = None) -> None:
    """A layer ``findings`` (polygon = the label's box; no geometry for file-level findings)
    in ``crs``, by default the labels' own (the first boxed file's; boxes of files in another
    CRS converted into it)."""
    import fiona
    from shapely.geometry import box, mapping

    crs = crs or report.crs

    schema = {"geometry": "Polygon", "properties": {
        "severity": "str:8", "file": "str:254", "label_id": "int", "check": "str:40",
        "message": "str:254"}}
    boxes = [report.bounds_in(f, crs) for f in report.sorted()]
    crs_kw = {} if crs is None else {"crs_wkt": crs} if not crs.startswith("EPSG:") \
        else {"crs": crs}
    with output_file(path) as scratch, \
            fiona.open(str(scratch), "w", driver="GPKG", layer="findings", schema=schema,
                       **crs_kw) as dst:
        dst.writerecords([{
            "geometry": mapping(box(*b)) if b and all(map(math.isfinite, b)) else None,
            "properties": {"severity": f.severity, "file": f.file[:254],
                           "label_id": f.label_id, "check": f.check,
                           "message": f.message[:254]}} for f, b in zip(report.sorted(), boxes)])


def write_findings_html(report: AuditReport, path: Union[str, Path]) -> None:
    rows = "\n".join(
        f"<tr class='{f.severity}'><td>{f.severity}</td><td>{html.escape(f.file)}</td>"
        f"<td>{'' if f.label_id is None else f.label_id}</td><td>{html.escape(f.check)}</td>"
        f"<td>{html.escape(f.message)}</td></tr>" for f in report.sorted())
    summary = "\n".join(
        f"<tr class='{sev}'><td>{sev}</td><td>{html.escape(check)}</td><td>{n}</td></tr>"
        for (sev, check), n in sorted(report.by_check().items(),
                                      key=lambda kv: (SEVERITY_ORDER.get(kv[0][0], 9), kv[0][1])))
    verdict = ("no error" if not report.has_errors else
               f"{report.count(ERROR)} error(s)")
    text = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>MIRAGE label audit</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }}
table {{ border-collapse: collapse; margin-bottom: 1.5em; }}
td, th {{ border: 1px solid #ccc; padding: 3px 8px; text-align: left; font-size: 90%; }}
tr.error td:first-child {{ background: #f4c7c3; }}
tr.warning td:first-child {{ background: #fce8b2; }}
tr.info td:first-child {{ background: #dbe8fb; }}
</style></head><body>
<h1>MIRAGE label audit</h1>
<p>{html.escape(report.label_dir)}: {report.files} file(s), {report.labels} label(s);
{report.count(ERROR)} error(s), {report.count(WARNING)} warning(s), {report.count(INFO)} note(s)
&mdash; <b>{verdict}</b>. The audited files were only read.</p>
<h2>By check</h2>
<table><tr><th>severity</th><th>check</th><th>findings</th></tr>
{summary}
</table>
<h2>Findings</h2>
<table><tr><th>severity</th><th>file</th><th>label Id</th><th>check</th><th>message</th></tr>
{rows}
</table></body></html>
"""
    with output_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
