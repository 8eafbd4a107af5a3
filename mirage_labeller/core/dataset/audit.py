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
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from ..labels.classes import CLASSES, region_of_point
from ..base.messages import Msg
from ..base.outputs import output_file
from ..labels.shapefile_check import check_shapefile
from ..labels.schema import FIELD_NAMES, FIELDS_BY_NAME, MIRAGE_EPSG
from ..base.progress import Cancelled, ProgressLike

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
RECT_TOL_M = 0.5
MIN_AREA_M2 = 4 * 15.0 * 15.0
ABSURD_FACTOR = 20.0
MAX_AREA_KM2 = 25.0
NEAR_IDENTICAL_IOU = 0.9
MOSTLY = 0.5
MAX_COORDINATE = 1e8  # metres (or degrees): larger is damage, not a place
CSV_COLUMNS = ("severity", "file", "label_id", "check", "message", "xmin", "ymin", "xmax",
               "ymax")
_IFG_RE = re.compile(r"^(\d{8})_(\d{8})$")


@dataclass
class Finding:
    severity: str
    file: str
    label_id: Optional[int]
    check: str
    message: str
    bounds: Optional[Tuple[float, float, float, float]] = None

    def row(self) -> dict:
        b = self.bounds or (None, None, None, None)
        return {"severity": self.severity, "file": self.file,
                "label_id": "" if self.label_id is None else self.label_id,
                "check": self.check, "message": self.message,
                "xmin": b[0], "ymin": b[1], "xmax": b[2], "ymax": b[3]}


@dataclass
class RawLabel:
    """A record as it is in the file, before any normalisation."""

    file: str
    index: int  # record number, 1-based
    props: Dict[str, object]
    geometry: Optional[dict]
    label_id: Optional[int]
    bounds: Optional[Tuple[float, float, float, float]] = None


@dataclass
class AuditReport:
    label_dir: str
    findings: List[Finding] = field(default_factory=list)
    files: int = 0
    labels: int = 0

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def has_errors(self) -> bool:
        return self.count(ERROR) > 0

    def by_check(self) -> Counter:
        return Counter((f.severity, f.check) for f in self.findings)

    def sorted(self) -> List[Finding]:
        return sorted(self.findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.file,
                                                    f.label_id or 0, f.check))


# ---------------------------------------------------------------- reading, read-only

def _int_or_none(value) -> Optional[int]:
    try:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return None
        if isinstance(value, str):
            value = value.strip()
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None


def _ring_points(geometry: dict) -> List[Tuple[float, float]]:
    coords = geometry.get("coordinates") or []
    if geometry.get("type") == "MultiPolygon":
        return [tuple(p[:2]) for poly in coords for ring in poly for p in ring]
    return [tuple(p[:2]) for ring in coords for p in ring]


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
        epsg = None
        try:
            from rasterio.crs import CRS

            text = prj.read_text(encoding="utf-8", errors="replace")
            epsg = CRS.from_wkt(text).to_epsg() if text.strip() else None
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


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


# ---------------------------------------------------------------- checks per label

def _check_geometry(fa: _FileAudit, raw: RawLabel) -> None:
    lid = raw.label_id
    if raw.geometry is None:
        fa.add(ERROR, "geometry.empty", Msg("{name}: label {lid} has no geometry",
                                            name=fa.name, lid=lid), lid)
        return
    if raw.geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return  # the file's geometry type is reported once for the file
    try:
        points = _ring_points(raw.geometry)
    except (TypeError, ValueError, AttributeError, IndexError):
        points = []
    if not points:
        fa.add(ERROR, "geometry.empty", Msg("{name}: label {lid} has an empty geometry",
                                            name=fa.name, lid=lid), lid)
        return
    xy = np.array(points, dtype=float).reshape(-1, 2)
    if not np.isfinite(xy).all():
        fa.add(ERROR, "geometry.non_finite", Msg("{name}: label {lid} has NaN or infinite "
                                                 "coordinates",
                                                 name=fa.name, lid=lid), lid)
        return
    if np.abs(xy).max() > MAX_COORDINATE:  # a flipped exponent bit: no place on Earth
        fa.add(ERROR, "geometry.absurd_coordinates", Msg("{name}: label {lid} has a "
                                                         "coordinate of {max:.3g}, beyond "
                                                         "any map of the Earth",
                                                         name=fa.name, lid=lid,
                                                         max=np.abs(xy).max()), lid)
        return
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    raw.bounds = (float(x0), float(y0), float(x1), float(y1))
    from shapely.geometry import shape

    try:
        shp = shape(raw.geometry)
        valid = shp.is_valid
        area = shp.area
    except Exception:  # noqa: BLE001
        valid, area, shp = False, 0.0, None
    env_area = (x1 - x0) * (y1 - y0)
    if env_area <= 0:  # a line or a point: GEOS calls it invalid too, one finding is enough
        fa.add(ERROR, "geometry.zero_area", Msg("{name}: label {lid} has no area",
                                                name=fa.name, lid=lid), lid,
               raw.bounds)
        return
    if shp is None or not valid:
        fa.add(ERROR, "geometry.invalid", Msg("{name}: label {lid} has an invalid polygon "
                                              "(self-intersecting or malformed ring)",
                                              name=fa.name, lid=lid), lid, raw.bounds)
    if area <= 0:
        fa.add(ERROR, "geometry.zero_area", Msg("{name}: label {lid} has no area",
                                                name=fa.name, lid=lid), lid,
               raw.bounds)
        return
    corners = np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]])
    nearest = np.min(np.hypot(xy[:, None, 0] - corners[None, :, 0],
                              xy[:, None, 1] - corners[None, :, 1]), axis=1)
    ns_rectangle = (nearest <= RECT_TOL_M).all() and abs(area - env_area) <= 1e-3 * env_area
    if shp is not None and valid and not ns_rectangle:
        rotated = shp.minimum_rotated_rectangle.area
        distinct = {(round(a, 3), round(b, 3)) for a, b in xy}
        if len(distinct) == 4 and abs(area - rotated) <= 1e-3 * rotated:
            fa.add(WARNING, "geometry.not_ns", Msg("{name}: label {lid} is a rectangle but "
                                                   "not north-south aligned (a vertex "
                                                   "{max:.1f} m off its envelope's "
                                                   "corners; tolerance {RECT_TOL_M} m)",
                                                   name=fa.name, lid=lid, max=nearest.max(),
                                                   RECT_TOL_M=RECT_TOL_M), lid, raw.bounds)
        else:
            fa.add(WARNING, "geometry.not_rectangle", Msg("{name}: label {lid} is not a "
                                                          "rectangle ({value:.0%} of its "
                                                          "envelope); its envelope is used",
                                                          name=fa.name, lid=lid,
                                                          value=area / env_area),
                   lid, raw.bounds)
    km2 = env_area / 1e6
    cls = CLASSES.get(str(raw.props.get("Class") or raw.props.get("class") or ""))
    if env_area < MIN_AREA_M2:
        fa.add(ERROR, "geometry.tiny", Msg("{name}: label {lid} covers {env_area:.0f} m², "
                                           "less than four 15 m pixels ({MIN_AREA_M2:.0f} "
                                           "m²)",
                                           name=fa.name, lid=lid, env_area=env_area,
                                           MIN_AREA_M2=MIN_AREA_M2), lid, raw.bounds)
    elif km2 > MAX_AREA_KM2 or (cls is not None and km2 > ABSURD_FACTOR * cls.mean_area_km2):
        ref = (Msg("{factor:.0f}× the {code} mean of {area} km² (paper, Table 2)",
                   factor=ABSURD_FACTOR, code=cls.code, area=cls.mean_area_km2)
               if cls is not None else Msg("{area} km²", area=MAX_AREA_KM2))
        fa.add(WARNING, "geometry.huge", Msg("{name}: label {lid} covers {km2:.2f} km², "
                                             "more than {ref}",
                                             name=fa.name, lid=lid, km2=km2, ref=ref),
                                             lid, raw.bounds)


def _value(raw: RawLabel, mapping, name):
    have = mapping.get(name)
    return raw.props.get(have) if have else None


def _check_values(fa: _FileAudit, raw: RawLabel, mapping, region: Optional[str],
                  ifg_meta=None) -> None:
    lid = raw.label_id
    b = raw.bounds
    if mapping.get("Id") and raw.label_id is None:
        fa.add(ERROR, "value.id", Msg("{name}: record {index} has no usable Id ({value!r})",
                                      name=fa.name, index=raw.index,
                                      value=_value(raw, mapping, 'Id')), None, b)
    elif raw.label_id is not None and raw.label_id < 1:
        fa.add(ERROR, "value.id", Msg("{name}: label Id {label_id} is not positive",
                                      name=fa.name, label_id=raw.label_id), lid, b)
    if mapping.get("Class"):
        cls = _value(raw, mapping, "Class")
        code = str(cls).strip() if cls is not None else ""
        if code not in CLASSES:
            fa.add(ERROR, "value.class", Msg("{name}: label {lid} has class {cls!r}, not "
                                             "one of {items}",
                                             name=fa.name, lid=lid, cls=cls,
                                             items=', '.join(CLASSES)), lid, b)
        elif region is not None and not CLASSES[code].lives_in(region):
            fa.add(WARNING, "value.class_region", Msg("{name}: label {lid} is {code} "
                                                      "({name2}), a class of the {region}, "
                                                      "but lies in the {region2}",
                                                      name=fa.name, lid=lid, code=code,
                                                      name2=CLASSES[code].name,
                                                      region=CLASSES[code].region,
                                                      region2=region), lid, b)
    for name in ("Sign_Qual", "Class_Unc"):
        if mapping.get(name):
            v = _value(raw, mapping, name)
            if _int_or_none(v) not in (1, 2) or (isinstance(v, float) and v not in (1.0, 2.0)):
                fa.add(ERROR, f"value.{name.lower()}", Msg("{name}: label {lid} has "
                                                           "{name2} {v!r}, not 1 or 2",
                                                           name=fa.name, lid=lid, name2=name,
                                                           v=v), lid, b)
    if mapping.get("Traj"):
        traj = _value(raw, mapping, "Traj")
        if traj not in ("A", "D"):
            fa.add(ERROR, "value.traj", Msg("{name}: label {lid} has Traj {traj!r}, not A "
                                            "or D",
                                            name=fa.name, lid=lid, traj=traj),
                   lid, b)
        elif ifg_meta is not None and ifg_meta.traj and traj != ifg_meta.traj:
            fa.add(ERROR, "value.traj_mismatch", Msg("{name}: label {lid} has Traj {traj} "
                                                     "but its interferogram is {traj2}",
                                                     name=fa.name, lid=lid, traj=traj,
                                                     traj2=ifg_meta.traj), lid, b)
    if not mapping.get("IFG"):
        return
    ifg = _value(raw, mapping, "IFG")
    m = _IFG_RE.match(str(ifg).strip()) if ifg is not None else None
    if not m:
        fa.add(ERROR, "value.ifg_format", Msg("{name}: label {lid} has IFG {ifg!r}, not "
                                              "yyyymmdd_yyyymmdd",
                                              name=fa.name, lid=lid, ifg=ifg), lid, b)
        return
    try:
        master, slave = (dt.datetime.strptime(v, "%Y%m%d").date() for v in m.groups())
    except ValueError:
        fa.add(ERROR, "value.ifg_date", Msg("{name}: label {lid} has IFG {ifg}, which is "
                                            "not a real pair of dates",
                                            name=fa.name, lid=lid, ifg=ifg), lid, b)
        return
    if slave <= master:
        fa.add(ERROR, "value.ifg_order", Msg("{name}: label {lid} has IFG {ifg}: the "
                                             "second date is not after the first",
                                             name=fa.name, lid=lid, ifg=ifg), lid, b)
        return
    if mapping.get("Bt"):
        bt = _value(raw, mapping, "Bt")
        if _int_or_none(bt) != (slave - master).days:
            fa.add(ERROR, "value.bt", Msg("{name}: label {lid} has Bt {bt!r} but IFG {ifg} "
                                          "spans {days} days",
                                          name=fa.name, lid=lid, bt=bt, ifg=ifg,
                                          days=(slave - master).days), lid, b)
    if ifg_meta is not None and ifg_meta.ifg and str(ifg).strip() != ifg_meta.ifg:
        fa.add(ERROR, "value.ifg_mismatch", Msg("{name}: label {lid} has IFG {ifg} but its "
                                                "interferogram is {ifg2}",
                                                name=fa.name, lid=lid, ifg=ifg,
                                                ifg2=ifg_meta.ifg), lid, b)


def _check_duplicates(fa: _FileAudit, records: Sequence[RawLabel]) -> None:
    ids = Counter(r.label_id for r in records if r.label_id is not None)
    for label_id, n in sorted(ids.items()):
        if n > 1:
            last = [r for r in records if r.label_id == label_id][-1]
            fa.add(ERROR, "duplicate.id", Msg("{name}: Id {label_id} is used by {n} labels",
                                              name=fa.name, label_id=label_id, n=n),
                   label_id, last.bounds)
    boxed = [r for r in records if r.bounds is not None]
    if len(boxed) < 2:
        return
    b = np.array([r.bounds for r in boxed])
    from .processes import candidate_pairs

    i, j = candidate_pairs(b)
    ix = np.minimum(b[i, 2], b[j, 2]) - np.maximum(b[i, 0], b[j, 0])
    iy = np.minimum(b[i, 3], b[j, 3]) - np.maximum(b[i, 1], b[j, 1])
    inter = np.clip(ix, 0, None) * np.clip(iy, 0, None)
    area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area[i] + area[j] - inter)
    for a, c, v in zip(i, j, iou):
        ra, rc = boxed[a], boxed[c]
        if np.allclose(ra.bounds, rc.bounds, atol=1e-6):
            fa.add(WARNING, "duplicate.box", Msg("{name}: labels {label_id} and "
                                                 "{label_id2} are the same box",
                                                 name=fa.name, label_id=ra.label_id,
                                                 label_id2=rc.label_id), rc.label_id, rc.bounds)
        elif v >= NEAR_IDENTICAL_IOU:
            fa.add(WARNING, "duplicate.near_box", Msg("{name}: labels {label_id} and "
                                                      "{label_id2} are nearly the same box "
                                                      "(IoU {v:.2f})",
                                                      name=fa.name, label_id=ra.label_id,
                                                      label_id2=rc.label_id, v=v), rc.label_id,
                   rc.bounds)


# ---------------------------------------------------------------- rasters

def _raster_checks(fa: _FileAudit, records: Sequence[RawLabel], item, label_crs,
                   threshold: float) -> None:
    """Footprint, nodata and coherence of each box on its interferogram."""
    import rasterio

    from ..interferograms.facts import (detect_coherence_encoding, detect_phase_encoding, grid_mismatch,
                               read_raster_facts)

    boxed = [r for r in records if r.bounds is not None and
             (r.bounds[2] - r.bounds[0]) * (r.bounds[3] - r.bounds[1]) > 0]
    if not boxed:
        return
    try:
        facts = read_raster_facts(str(item.path), 256)
        encoding = detect_phase_encoding(facts)
        src = rasterio.open(str(item.path))
    except Exception as exc:  # noqa: BLE001
        fa.add(ERROR, "raster.unreadable", Msg("{name}: the interferogram of {name2} "
                                               "cannot be read ({why})",
                                               name=item.path.name, name2=fa.name,
                                               why=_short(exc)))
        return
    coh = coh_enc = None
    if item.coherence is not None:
        try:
            coh_facts = read_raster_facts(str(item.coherence), 256)
            coh_enc = detect_coherence_encoding(coh_facts)
            why = (coh_enc.problems[0] if coh_enc.problems
                   else grid_mismatch(coh_facts, facts))
            if why:
                fa.add(WARNING, "raster.coherence", Msg("{problem}; the coherence of {name} "
                                                        "is not checked", problem=why,
                                                        name=fa.name))
                coh_enc = None
            elif coh_enc.units == "percent":  # unusual enough to be looked at
                fa.add(WARNING, "raster.coherence", coh_enc.messages[0])
            else:
                coh = rasterio.open(str(item.coherence))
        except Exception as exc:  # noqa: BLE001
            fa.add(WARNING, "raster.unreadable", Msg("{name}: the coherence map of {name2} "
                                                     "cannot be read ({why})",
                                                     name=item.coherence.name, name2=fa.name,
                                                     why=_short(exc)))
    try:
        for raw in boxed:
            try:
                _raster_check_one(fa, raw, item, label_crs, src, coh, coh_enc, encoding,
                                  threshold)
            except Exception as exc:  # noqa: BLE001 - this label's finding, not the file's
                fa.add(ERROR, "audit.failed", Msg("{name}: label {label_id} not checked on "
                                                  "{name2} ({why})",
                                                  name=fa.name, label_id=raw.label_id,
                                                  name2=item.path.name, why=_short(exc)),
                                                  raw.label_id, raw.bounds)
    finally:
        src.close()
        if coh is not None:
            coh.close()


def _raster_check_one(fa, raw, item, label_crs, src, coh, coh_enc, encoding, threshold):
    from rasterio.errors import WindowError
    from rasterio.windows import Window, from_bounds

    whole = Window(0, 0, src.width, src.height)
    lid = raw.label_id
    box = _to_raster_crs(raw.bounds, label_crs, src.crs)
    left, bottom, right, top = src.bounds
    inter_w = min(box[2], right) - max(box[0], left)
    inter_h = min(box[3], top) - max(box[1], bottom)
    area = (box[2] - box[0]) * (box[3] - box[1])
    inside = max(inter_w, 0) * max(inter_h, 0) / area if area > 0 else 0.0
    if inside <= 0:
        fa.add(ERROR, "geometry.outside", Msg("{name}: label {lid} lies outside its "
                                              "interferogram {name2}",
                                              name=fa.name, lid=lid, name2=item.path.name),
                                              lid, raw.bounds)
        return
    if inside < 0.999:
        fa.add(WARNING, "geometry.partly_outside", Msg("{name}: label {lid} is {value:.0%} "
                                                       "outside its interferogram",
                                                       name=fa.name, lid=lid, value=1 - inside),
                                                       lid, raw.bounds)
    window = from_bounds(*box, transform=src.transform).round_offsets().round_lengths()
    try:  # the part over the raster only: a huge box must not allocate its size
        window = window.intersection(whole)
    except WindowError:
        return
    data = src.read(1, window=window, masked=True)
    values = np.ma.filled(data.astype("float64"), np.nan)
    nodata = ~np.isfinite(values) | np.ma.getmaskarray(data)
    if encoding.nodata is not None:
        nodata |= values == encoding.nodata
    if nodata.size and nodata.mean() > MOSTLY:
        fa.add(WARNING, "raster.mostly_nodata", Msg("{name}: label {lid}: {mean:.0%} of "
                                                    "the box is nodata in {name2}",
                                                    name=fa.name, lid=lid, mean=nodata.mean(),
                                                    name2=item.path.name), lid,
               raw.bounds)
    if coh is not None:
        cbox = _to_raster_crs(raw.bounds, label_crs, coh.crs)
        cwin = from_bounds(*cbox, transform=coh.transform).round_offsets().round_lengths()
        try:
            cwin = cwin.intersection(Window(0, 0, coh.width, coh.height))
        except WindowError:
            return
        craw = np.ma.filled(coh.read(1, window=cwin, masked=True)
                            .astype("float64"), np.nan)
        c = craw * coh_enc.scale + coh_enc.offset
        if coh_enc.nodata is not None:
            c[craw == coh_enc.nodata] = np.nan
        c = c[np.isfinite(c)]
        if c.size and (c < threshold).mean() > MOSTLY:
            fa.add(WARNING, "raster.low_coherence", Msg("{name}: label {lid}: {mean:.0%} "
                                                        "of the box is below coherence "
                                                        "{threshold:g}",
                                                        name=fa.name, lid=lid,
                                                        mean=(c < threshold).mean(),
                                                        threshold=threshold), lid, raw.bounds)


def raster_damage(path: Union[str, Path]) -> Optional[str]:
    """Why a GeoTIFF cannot be trusted (header, or a block beyond the end of the file), or
    None. Metadata only: cheap on large rasters."""
    from osgeo import gdal

    path = Path(path)
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        ds = gdal.Open(str(path), gdal.GA_ReadOnly)
        if ds is None:
            return f"{path.name}: GDAL cannot open it ({gdal.GetLastErrorMsg() or 'unknown'})"
        if ds.GetDriver().ShortName != "GTiff":
            return None
        size = path.stat().st_size
        band = ds.GetRasterBand(1)
        bx, by = band.GetBlockSize()
        nx, ny = -(-ds.RasterXSize // bx), -(-ds.RasterYSize // by)
        for y in range(ny):
            for x in range(nx):
                offset = band.GetMetadataItem(f"BLOCK_OFFSET_{x}_{y}", "TIFF")
                length = band.GetMetadataItem(f"BLOCK_SIZE_{x}_{y}", "TIFF")
                if offset is None or length is None:
                    continue
                if int(offset) + int(length) > size:
                    return (f"{path.name}: data block ({x}, {y}) lies beyond the end of the "
                            f"file ({size} bytes): truncated")
        return None
    finally:
        gdal.PopErrorHandler()
        ds = None


def _to_raster_crs(bounds, label_crs, raster_crs):
    if label_crs is None or raster_crs is None:
        return bounds
    from rasterio.crs import CRS
    from rasterio.warp import transform_bounds

    try:
        if CRS.from_user_input(label_crs) == CRS.from_user_input(raster_crs):
            return bounds
        return tuple(transform_bounds(label_crs, raster_crs, *bounds, densify_pts=21))
    except Exception:  # noqa: BLE001 - an odd CRS: compare as they are
        return bounds


def _region_of(records: Sequence[RawLabel], label_crs) -> Optional[str]:
    boxed = [r.bounds for r in records if r.bounds is not None]
    if not boxed:
        return None
    b = np.array(boxed)
    x, y = float(np.median((b[:, 0] + b[:, 2]) / 2)), float(np.median((b[:, 1] + b[:, 3]) / 2))
    try:
        from rasterio.warp import transform

        xs, ys = transform(label_crs or f"EPSG:{MIRAGE_EPSG}", "EPSG:4326", [x], [y])
        return region_of_point(xs[0], ys[0])
    except Exception:  # noqa: BLE001
        return None


# ---------------------------------------------------------------- the audit

def audit_label_dir(label_dir: Union[str, Path], ifg_dir: Optional[Union[str, Path]] = None,
                    threshold: float = 0.2, progress: ProgressLike = None,
                    is_cancelled: Callable[[], bool] = lambda: False) -> AuditReport:
    """Every finding for the label files of ``label_dir``; with ``ifg_dir`` (a workspace or
    a folder of interferograms) also IFG/Traj against the interferogram each file belongs to,
    footprint, nodata and coherence."""
    report_progress = progress or (lambda f, m: None)
    label_dir = Path(label_dir)
    if not label_dir.is_dir():
        raise FileNotFoundError(f"{label_dir}: no such folder")
    report = AuditReport(str(label_dir))
    items = {}
    if ifg_dir is not None:
        from ..interferograms.workspace import open_workspace

        ws = open_workspace(ifg_dir)
        for problem in ws.problems:
            report.findings.append(Finding(WARNING, "", None, "raster.problem", problem))
        for it in ws.interferograms:
            for raster in filter(None, (it.path, it.coherence)):
                try:
                    damage = raster_damage(raster)
                except Exception as exc:  # noqa: BLE001
                    damage = f"{raster.name}: cannot be checked ({_short(exc)})"
                if damage:
                    report.findings.append(Finding(ERROR, raster.name, None, "raster.damaged",
                                                   damage))
        items = {it.label_stem: it for it in ws.interferograms}
        for it in ws.interferograms:  # stems are also matched by the raster's own file stem
            items.setdefault(it.path.stem, it)
    shapefiles = sorted(p for p in label_dir.iterdir()
                        if p.suffix.lower() == ".shp" and p.is_file())
    orphans = sorted({p.stem for p in label_dir.iterdir() if p.is_file() and p.suffix.lower()
                      in (".dbf", ".shx", ".prj", ".cpg")} - {p.stem for p in shapefiles})
    for stem in orphans:
        report.findings.append(Finding(ERROR, f"{stem}.shp", None, "schema.missing_file",
                                       f"{stem}.shp is missing (its .dbf/.shx/.prj are there)"))
    for k, shp in enumerate(shapefiles):
        if is_cancelled():
            raise Cancelled()
        report_progress(k / max(len(shapefiles), 1), f"auditing {shp.name}")
        report.files += 1
        fa = _FileAudit(shp, report)
        records, mapping = fa.read()
        report.labels += len(records)
        label_crs = _label_crs(shp)
        for raw in records:
            _guarded(fa, raw, _check_geometry, fa, raw)
        region = _region_of(records, label_crs)
        item = items.get(shp.stem)
        if ifg_dir is not None and item is None:
            fa.add(WARNING, "value.no_interferogram", Msg("{name}: no interferogram named "
                                                          "{stem} in {ifg_dir}; IFG, Traj "
                                                          "and footprint not checked",
                                                          name=shp.name, stem=shp.stem,
                                                          ifg_dir=ifg_dir))
        for raw in records:
            _guarded(fa, raw, _check_values, fa, raw, mapping, region,
                     item.meta if item is not None else None)
        try:
            _check_duplicates(fa, records)
        except Exception as exc:  # noqa: BLE001 - a finding, never a traceback
            fa.add(ERROR, "audit.failed", Msg("{name}: duplicates not checked ({why})",
                                              name=shp.name, why=_short(exc)))
        if item is not None:
            _raster_checks(fa, records, item, label_crs, threshold)
    report_progress(1.0, "done")
    return report


def _guarded(fa: "_FileAudit", raw: RawLabel, check, *args) -> None:
    """One label's check; whatever a damaged record makes it raise becomes a finding."""
    try:
        check(*args)
    except Exception as exc:  # noqa: BLE001
        fa.add(ERROR, "audit.failed", Msg("{name}: label {label_id} (record {index}) could "
                                          "not be checked ({why})",
                                          name=fa.name, label_id=raw.label_id, index=raw.index,
                                          why=_short(exc)), raw.label_id)


def _label_crs(shp: Path):
    prj = shp.with_suffix(".prj")
    try:
        from rasterio.crs import CRS

        return CRS.from_wkt(prj.read_text(encoding="utf-8", errors="replace"))
    except Exception:  # noqa: BLE001 - no or bad .prj: reported; assume MIRAGE's
        return f"EPSG:{MIRAGE_EPSG}"


# ---------------------------------------------------------------- output

def write_findings_csv(report: AuditReport, path: Union[str, Path]) -> None:
    with output_file(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for f in report.sorted():
            writer.writerow(f.row())


def write_findings_gpkg(report: AuditReport, path: Union[str, Path], crs: str = "EPSG:32632"
                        ) -> None:
    """A layer ``findings`` (polygon = the label's box; no geometry for file-level findings)."""
    import fiona
    from shapely.geometry import box, mapping

    schema = {"geometry": "Polygon", "properties": {
        "severity": "str:8", "file": "str:254", "label_id": "int", "check": "str:40",
        "message": "str:254"}}
    with output_file(path) as scratch, \
            fiona.open(str(scratch), "w", driver="GPKG", layer="findings", schema=schema,
                       crs=crs) as dst:
        dst.writerecords([{
            "geometry": mapping(box(*f.bounds)) if f.bounds and all(
                map(math.isfinite, f.bounds)) else None,
            "properties": {"severity": f.severity, "file": f.file[:254],
                           "label_id": f.label_id, "check": f.check,
                           "message": f.message[:254]}} for f in report.sorted()])


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


def checksums(folder: Union[str, Path]) -> Dict[str, str]:
    """Mode and sha256 of every file and folder below ``folder``: what "nothing was written"
    is checked against (a lock folder or a changed permission counts too)."""
    import hashlib

    root = Path(folder)
    out = {}
    for p in sorted(root.rglob("*")):  # every file and folder below, with its mode
        rel = p.relative_to(root).as_posix()
        mode = p.stat().st_mode
        out[rel] = (f"{mode:o}:" + hashlib.sha256(p.read_bytes()).hexdigest()) if p.is_file() \
            else f"{mode:o}:dir"
    return out
