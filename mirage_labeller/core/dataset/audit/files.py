"""One label file as it is, read read-only, and the checks of the file itself.

The parts (.shx, .dbf, .prj, .cpg) and their integrity (``shapefile_check``, the label store's
own test before it trusts a file), the text encoding, the fields against the MIRAGE schema and
the CRS of the .prj. Files are opened for reading only (fiona, plain ``open(..., "rb")``),
never through the label store, whose reads may recover an interrupted save. The records come
out as they are in the file (``RawLabel``), for the label checks of the other modules.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ...base import crs as base_crs
from ...base.errors import clean_library_text
from ...base.messages import Msg
from ...labels.schema import FIELD_NAMES, FIELDS_BY_NAME, MIRAGE_EPSG
from ...labels.shapefile_check import check_shapefile
from .findings import ERROR, INFO, WARNING, AuditReport, Finding, _short


@dataclass
class RawLabel:
    """A record as it is in the file, before any normalisation."""

    file: str
    index: int  # record number, 1-based
    props: Dict[str, object]
    geometry: Optional[dict]
    label_id: Optional[int]
    bounds: Optional[Tuple[float, float, float, float]] = None


def _int_or_none(value) -> Optional[int]:
    try:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return None
        if isinstance(value, str):
            value = value.strip()
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None


def _prj_crs(prj: Path):
    """The CRS a .prj declares (None when it is empty), read as the WKT a .prj holds, as GDAL
    reads it; ``CrsError`` when it cannot be interpreted, OSError when it cannot be read."""
    from rasterio.crs import CRS

    text = prj.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        return None
    try:
        return CRS.from_wkt(text)
    except Exception as exc:  # noqa: BLE001 - rasterio's CRSError and PROJ's own errors
        raise base_crs.CrsError(f"{prj.name}: not a CRS ({clean_library_text(exc)})") from None


def _label_crs(shp: Path):
    """The CRS of a label file's coordinates: its .prj's, MIRAGE's when there is none (or a
    bad one: that is reported by the file checks)."""
    try:
        parsed = _prj_crs(shp.with_suffix(".prj"))
    except Exception:  # noqa: BLE001 - no or bad .prj: reported; assume MIRAGE's
        parsed = None
    return parsed if parsed is not None else f"EPSG:{MIRAGE_EPSG}"


class _FileAudit:
    def __init__(self, path: Path, report: AuditReport):
        self.path = path
        self.name = path.name
        self.report = report
        self.expected_records = None  # from the parts' headers (integrity)

    def add(self, severity, check, message, label_id=None, bounds=None):
        self.report.findings.append(Finding(severity, self.name, label_id, check, message,
                                            bounds))

    # ------------------------------------------------------------ schema
    def companions(self) -> bool:
        ok = True
        for ext, severity in ((".shx", ERROR), (".dbf", ERROR)):
            if not self.path.with_suffix(ext).exists():
                self.add(severity, "schema.missing_file",
                         Msg("{name}: the {ext} file is missing; the shapefile is "
                             "incomplete",
                             name=self.name, ext=ext))
                ok = False
        prj = self.path.with_suffix(".prj")
        if not prj.exists():
            self.add(ERROR, "schema.prj_missing", Msg("{name}: no .prj file: the "
                                                      "coordinates' CRS is unknown (MIRAGE "
                                                      "labels are EPSG:{MIRAGE_EPSG})",
                                                      name=self.name, MIRAGE_EPSG=MIRAGE_EPSG))
        cpg = self.path.with_suffix(".cpg")
        if not cpg.exists():
            self.add(INFO, "schema.encoding", Msg("{name}: no .cpg file; text is read as "
                                                  "UTF-8",
                                                  name=self.name))
        else:
            try:
                declared = cpg.read_bytes()[:64].decode("ascii", "replace").strip().upper()
            except OSError:
                declared = ""
            if declared.replace("-", "") not in ("UTF8", "65001"):
                self.add(WARNING, "schema.encoding", Msg("{name}: .cpg declares {value}, "
                                                         "not UTF-8",
                                                         name=self.name,
                                                         value=declared or 'nothing'))
        return ok

    def crs(self, crs_wkt: Optional[str]) -> None:
        prj = self.path.with_suffix(".prj")
        if not prj.exists():
            return
        try:
            epsg = base_crs.epsg_of(_prj_crs(prj))
        except Exception:  # noqa: BLE001 - any unreadable .prj is one finding
            self.add(ERROR, "schema.prj_invalid", Msg("{name}: the .prj cannot be "
                                                      "interpreted as a CRS",
                                                      name=self.name))
            return
        if epsg != MIRAGE_EPSG:
            what = f"EPSG:{epsg}" if epsg else Msg("a CRS without an EPSG code")
            self.add(WARNING, "schema.prj_not_32632", Msg("{name}: the .prj is {what}, not "
                                                          "EPSG:{MIRAGE_EPSG} as MIRAGE "
                                                          "labels are",
                                                          name=self.name, what=what,
                                                          MIRAGE_EPSG=MIRAGE_EPSG))

    def fields(self, props: Dict[str, str]) -> Dict[str, Optional[str]]:
        lower = {k.lower(): k for k in props}
        mapping = {}
        for want in FIELD_NAMES:
            have = want if want in props else lower.get(want.lower())
            mapping[want] = have
            if have is None:
                self.add(ERROR, "schema.missing_field", Msg("{name}: field {want} is "
                                                            "missing",
                                                            name=self.name, want=want))
                continue
            spec = FIELDS_BY_NAME[want]
            kind, _, width = str(props[have]).partition(":")
            kind = {"int32": "int", "int64": "int", "integer": "int"}.get(kind, kind)
            if have != want:
                self.add(WARNING, "schema.field_name", Msg("{name}: field '{have}' should "
                                                           "be spelled '{want}'",
                                                           name=self.name, have=have,
                                                           want=want))
            if kind != spec.kind:
                self.add(ERROR, "schema.field_type", Msg("{name}: field {want} is {props}, "
                                                         "not {kind}:{width}",
                                                         name=self.name, want=want,
                                                         props=props[have], kind=spec.kind,
                                                         width=spec.width))
            elif width and width.split(".")[0].isdigit() and int(width.split(".")[0]) < spec.width:
                self.add(ERROR, "schema.field_width", Msg("{name}: field {want} is "
                                                          "{props}, narrower than "
                                                          "{kind}:{width}",
                                                          name=self.name, want=want,
                                                          props=props[have], kind=spec.kind,
                                                          width=spec.width))
            elif width and width.split(".")[0].isdigit() and int(width.split(".")[0]) > spec.width:
                self.add(WARNING, "schema.field_width", Msg("{name}: field {want} is "
                                                            "{props}, wider than MIRAGE's "
                                                            "{kind}:{width}",
                                                            name=self.name, want=want,
                                                            props=props[have], kind=spec.kind,
                                                            width=spec.width))
        extra = [k for k in props if k not in mapping.values()]
        if extra:
            self.add(WARNING, "schema.extra_field", Msg("{name}: extra field(s) {items} "
                                                        "(not in the MIRAGE schema)",
                                                        name=self.name, items=', '.join(extra)))
        return mapping

    def declared_encoding(self) -> Optional[str]:
        import codecs

        cpg = self.path.with_suffix(".cpg")
        try:
            name = cpg.read_bytes()[:64].decode("ascii", "replace").strip()
        except OSError:
            return None
        name = {"65001": "utf-8"}.get(name, name)
        try:
            return codecs.lookup(name).name if name else None
        except LookupError:
            return None

    def integrity(self) -> bool:
        """The three files agree with their own headers and with each other (a truncated or
        overwritten file is found here even where GDAL would read on silently); the same
        check the label store makes before it trusts a file (``shapefile_check``)."""
        check = check_shapefile(self.path)
        for problem in check.problems:
            self.add(ERROR, "schema.damaged", problem)
        self.expected_records = check.expected_features
        return check.ok

    # ------------------------------------------------------------ records
    def read(self) -> Tuple[List[RawLabel], Dict[str, Optional[str]]]:
        import fiona

        if not self.companions():
            return [], {}
        self.integrity()
        records: List[RawLabel] = []
        mapping: Dict[str, Optional[str]] = {}
        declared = self.declared_encoding()
        for encoding in dict.fromkeys((declared or "utf-8", "latin-1")):
            records = []
            try:
                with fiona.open(str(self.path), "r", encoding=encoding) as src:
                    if not mapping:
                        self.crs(src.crs_wkt or None)
                        gtype = src.schema.get("geometry")
                        if gtype not in ("Polygon", "MultiPolygon", "3D Polygon",
                                         "3D MultiPolygon", None, "Unknown"):
                            self.add(ERROR, "schema.geometry_type",
                                     Msg("{name}: holds {gtype} geometries, not polygons",
                                         name=self.name, gtype=gtype))
                        mapping = self.fields(dict(src.schema["properties"]))
                    for k, feat in enumerate(src, 1):
                        props = dict(feat["properties"])
                        geom = feat["geometry"]
                        geom = dict(geom) if geom is not None else None
                        if geom is not None and "coordinates" in geom:
                            geom["coordinates"] = _plain(geom["coordinates"])
                        label_id = _int_or_none(props.get(mapping.get("Id") or "Id"))
                        records.append(RawLabel(self.name, k, props, geom, label_id))
                break
            except UnicodeDecodeError:
                self.add(ERROR, "schema.encoding", Msg("{name}: text in the .dbf is not "
                                                       "valid {encoding} (read again as "
                                                       "Latin-1)",
                                                       name=self.name, encoding=encoding))
                continue
            except Exception as exc:  # noqa: BLE001 - a damaged file is a finding, not a crash
                self.add(ERROR, "schema.unreadable", f"{self.name}: cannot be read as a "
                         f"shapefile ({_short(exc)})" + (f"; {len(records)} record(s) read "
                                                         "before the damage" if records else ""))
                break
        expected = self.expected_records
        if expected is not None and records and len(records) != expected and \
                not any(f.check == "schema.damaged" and f.file == self.name
                        for f in self.report.findings):
            self.add(ERROR, "schema.damaged", Msg("{name}: {n} of its {expected} records "
                                                  "could be read",
                                                  name=self.name, n=len(records),
                                                  expected=expected))
        return records, mapping


def _plain(coords):
    if isinstance(coords, (list, tuple)):
        return [_plain(c) for c in coords]
    return coords
