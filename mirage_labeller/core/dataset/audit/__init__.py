"""Audit a label set someone else made: every problem, with its severity, file and label Id.

Read-only by construction: files are opened for reading only (fiona, rasterio, plain
``open(..., "rb")``), never through the label store, whose reads may recover an interrupted
save. A reviewer can audit the published dataset on a read-only disk.

Severities: ``error`` (the label or file breaks the MIRAGE schema or cannot be trusted),
``warning`` (legal but suspicious: an expert should look), ``info``.

Tolerances stated once:
- N-S rectangle: every vertex within ``RECT_TOL_M`` (0.5 m, a thirtieth of a 15 m pixel) of
  a corner of the box's envelope; a four-cornered polygon whose area fills its minimum
  rotated rectangle but not its envelope is "not N-S aligned", anything else "not a
  rectangle";
- area: below ``MIN_AREA_M2`` (four 15 m pixels: no fringe pattern fits) is an error; more
  than ``ABSURD_FACTOR`` (20) times the class's mean area in the paper's Table 2, or more
  than ``MAX_AREA_KM2`` (25 km², far beyond the largest DSGSD box), a warning;
- near-identical boxes: intersection over union >= 0.9 within one file;
- nodata / coherence: more than half of the box.

One module a responsibility:

- ``findings``: the report model (severities, ``Finding``, ``AuditReport``);
- ``files``: a label file read read-only, and the checks of the file itself (its parts and
  their integrity, the text encoding, the fields, the CRS);
- ``geometry``, ``values``, ``duplicates``: the checks of each label and of a file's labels;
- ``rasters``: each box on its interferogram (footprint, nodata, coherence), damaged rasters;
- ``writers``: the findings as CSV, HTML and GeoPackage;
- ``driver``: ``audit_label_dir``, which runs every check, and ``checksums``, what the
  read-only promise is checked against.
"""
from .driver import audit_label_dir, checksums
from .duplicates import NEAR_IDENTICAL_IOU
from .files import RawLabel
from .findings import ERROR, INFO, SEVERITY_ORDER, WARNING, AuditReport, Finding
from .geometry import ABSURD_FACTOR, MAX_AREA_KM2, MAX_COORDINATE, MIN_AREA_M2, RECT_TOL_M
from .rasters import MOSTLY, raster_damage
from .writers import CSV_COLUMNS, write_findings_csv, write_findings_gpkg, write_findings_html

__all__ = [
    "ABSURD_FACTOR", "CSV_COLUMNS", "ERROR", "INFO", "MAX_AREA_KM2", "MAX_COORDINATE",
    "MIN_AREA_M2", "MOSTLY", "NEAR_IDENTICAL_IOU", "RECT_TOL_M", "SEVERITY_ORDER", "WARNING",
    "AuditReport", "Finding", "RawLabel", "audit_label_dir", "checksums", "raster_damage",
    "write_findings_csv", "write_findings_gpkg", "write_findings_html",
]
