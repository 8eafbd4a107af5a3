"""Reading a MIRAGE label shapefile: ``read_label_file`` (the whole file, or an error) and
``salvage_records`` (what can be read of a damaged one), through one normaliser.

Reading tolerates what other GIS write (numbers stored as text or float, lower-case codes,
other field-name case, extra fields) and says what it normalised; it refuses what it cannot
trust with an error naming the file (``LabelFileError``), and a file whose parts disagree or
whose records cannot all be read (``DamagedLabelFileError``): a set read short and saved would lose
the labels that were not read. The label store (``labels.store``) reads through here, and is
the one writer.
"""
from __future__ import annotations

import math
import os
import re
import shutil
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

from ..base.errors import InputError, clean_library_text
from ..base.messages import Msg
from .schema import FIELD_NAMES, FIELDS, MIRAGE_EPSG, Label, validate_label
from .shapefile_check import check_shapefile

BACKUP_DIR = ".mirage-backup"  # the store's backups, named when a damaged file is refused
_RECT_TOL = 1e-6


class LabelFileError(InputError):
    """A label file that cannot be trusted or written; the message names the file."""


class DamagedLabelFileError(LabelFileError):
    """A label file whose parts disagree or whose records cannot all be trusted: never read
    short, never saved over; ``LabelStore.salvage`` is the repair a user may ask for."""


@dataclass
class LabelSet:
    path: Path
    labels: List[Label]
    epsg: Optional[int]
    crs_wkt: Optional[str]
    warnings: List[str] = field(default_factory=list)
    canonical_schema: bool = True

    def by_id(self) -> Dict[int, Label]:
        return {lab.id: lab for lab in self.labels}


def _schema_properties() -> "OrderedDict[str, str]":
    return OrderedDict((f.name, f.fiona_type) for f in FIELDS)


class _Normaliser:
    """Turns raw DBF values into schema values and counts what it had to change."""

    def __init__(self, path: Path):
        self.path = path
        self.counts: "OrderedDict[str, int]" = OrderedDict()

    def note(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def fail(self, record_no: int, msg: str) -> LabelFileError:
        return DamagedLabelFileError(f"{self.path}: record {record_no}: {msg}")

    def undecodable(self, value, name: str, record_no: int) -> None:
        """GDAL hands over bytes it could not decode in the file's encoding: such a value
        cannot be written back as it was, so the file is not trusted."""
        if isinstance(value, (bytes, bytearray)):
            raise self.fail(record_no, f"{name} holds bytes that are not text in the file's "
                                       f"encoding ({bytes(value)[:20]!r})")

    def to_int(self, value, name: str, record_no: int) -> int:
        self.undecodable(value, name, record_no)
        if isinstance(value, bool):
            raise self.fail(record_no, f"{name} is {value!r}, not a number")
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if math.isfinite(value) and value == int(value):
                self.note(f"{name} stored as decimal numbers; read as integers")
                return int(value)
            raise self.fail(record_no, f"{name} is {value!r}, not a whole number")
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"[+-]?\d+(\.0*)?", text):
                self.note(f"{name} stored as text; read as integers")
                return int(float(text))
            raise self.fail(record_no, f"{name} is {value!r}, not a number")
        raise self.fail(record_no, f"{name} is empty")

    def to_code(self, value, name: str, record_no: int, aliases: Dict[str, str] = None) -> str:
        self.undecodable(value, name, record_no)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise self.fail(record_no, f"{name} is empty")
        text = str(value).strip()
        low = text.lower()
        if aliases and low in aliases:
            if aliases[low] != text:
                self.note(f"{name} written as '{text}'; read as '{aliases[low]}'")
            return aliases[low]
        if text != text.upper():
            self.note(f"{name} in lower case; read in upper case")
        return text.upper()

    def to_ifg(self, value, record_no: int) -> str:
        self.undecodable(value, "IFG", record_no)
        if value is None or not str(value).strip():
            raise self.fail(record_no, "IFG is empty")
        text = str(value).strip()
        m = re.fullmatch(r"(\d{8})[-/ ](\d{8})", text)
        if m:
            self.note("IFG written with another separator; read as yyyymmdd_yyyymmdd")
            return f"{m.group(1)}_{m.group(2)}"
        return text


_TRAJ_ALIASES = {"a": "A", "asc": "A", "ascending": "A", "d": "D", "dsc": "D", "desc": "D",
                 "descending": "D"}


def _box_from_geometry(geom, norm: _Normaliser, record_no: int, warnings: List[str],
                       label_id) -> Tuple[float, float, float, float]:
    from shapely.geometry import shape

    if geom is None:
        raise norm.fail(record_no, "has no geometry")
    try:
        shp = shape(geom)
    except Exception as exc:  # noqa: BLE001 - malformed coordinates: shapely raises any kind
        raise norm.fail(record_no, f"geometry cannot be read ({exc})") from None
    if shp.is_empty:
        raise norm.fail(record_no, "has an empty geometry")
    if shp.geom_type not in ("Polygon", "MultiPolygon"):
        raise norm.fail(record_no, f"geometry is a {shp.geom_type}, not a polygon")
    x0, y0, x1, y1 = shp.bounds
    if not all(math.isfinite(v) and abs(v) < 1e15 for v in (x0, y0, x1, y1)):
        raise norm.fail(record_no, f"has coordinates that are not finite numbers "
                                   f"({x0}, {y0}, {x1}, {y1})")
    env_area = (x1 - x0) * (y1 - y0)
    is_rect = (shp.geom_type == "Polygon" and env_area > 0
               and abs(shp.area - env_area) <= _RECT_TOL * env_area)
    if not is_rect:
        warnings.append(Msg("{name}: label {label_id} is not an N-S rectangle; its "
                            "bounding box is used",
                            name=norm.path.name, label_id=label_id))
    return (x0, y0, x1, y1)


def _read_raw(path: Path, restore_shx: bool = False):
    """(field types, geometry type, fiona CRS, WKT, [(geometry, properties)]) as GDAL reads
    them; LabelFileError for anything GDAL cannot read."""
    import fiona
    from fiona.errors import FionaError

    try:
        with fiona.Env(SHAPE_RESTORE_SHX="YES" if restore_shx else "NO"), \
                fiona.open(str(path)) as src:
            props = OrderedDict(src.schema["properties"])
            geom_type = src.schema.get("geometry")
            try:
                crs = src.crs
                crs_wkt = src.crs_wkt if crs else None
            except Exception:  # noqa: BLE001 - a .prj GDAL cannot parse (CPLE_AppDefinedError)
                crs, crs_wkt = None, None
            records = [(f.get("geometry"), dict(f["properties"])) for f in src]
    except UnicodeDecodeError as exc:
        raise LabelFileError(f"{path}: text in its .dbf is not valid in its encoding "
                             f"({exc.reason} at byte {exc.start}); not read") from None
    except (FionaError, OSError, ValueError, KeyError, RuntimeError) as exc:
        raise LabelFileError(f"{path}: cannot be read as a shapefile "
                             f"({clean_library_text(exc)})") from None
    except Exception as exc:  # noqa: BLE001 - GDAL's CPLE_* errors derive from Exception only
        raise LabelFileError(f"{path}: cannot be read as a shapefile "
                             f"({clean_library_text(exc)})") from None
    return props, geom_type, crs, crs_wkt, records


def read_label_file(path: Union[str, Path], id_floor: int = 0) -> LabelSet:
    """Read one label shapefile, normalising what can be trusted; LabelFileError otherwise,
    also when its parts disagree (a truncated .dbf, a .shx of another file): a set read short
    and saved would lose the labels that were not read. Records without a usable Id are
    numbered above ``id_floor`` too (the highest Id the file ever had, from the store)."""
    path = Path(path)
    if path.suffix.lower() != ".shp":
        path = path.with_suffix(".shp")
    missing = [ext for ext in (".shp", ".shx", ".dbf") if not path.with_suffix(ext).is_file()]
    if missing:
        raise LabelFileError(f"{path}: incomplete shapefile, missing {', '.join(missing)}")
    check = check_shapefile(path)
    if not check.ok:
        raise DamagedLabelFileError(Msg(
            "{path}: {problem}; not read, so that no label is lost by a save - restore the "
            "file set from where it came (or its backup in {backup}/)",
            path=path, problem=check.problems[0], backup=BACKUP_DIR), path=path)
    raw = _read_raw(path)
    if check.expected_features is not None and len(raw[4]) != check.expected_features:
        raise DamagedLabelFileError(f"{path}: {len(raw[4])} of its {check.expected_features} "
                               "records could be read; not read, so that no label is lost by "
                               "a save")
    return _labels_from(path, *raw, id_floor=id_floor)[0]


def salvage_records(path: Union[str, Path], id_floor: int = 0):
    """What can be read of a damaged label file: (labels, what was lost, CRS). The .shx is
    rebuilt from the .shp (GDAL's SHAPE_RESTORE_SHX) in a temporary copy, records that cannot
    be read or trusted are left out and listed."""
    import tempfile

    path = Path(path).with_suffix(".shp")
    check = check_shapefile(path)
    with tempfile.TemporaryDirectory(prefix="mirage-salvage-") as tmp:
        copy = Path(tmp) / path.name
        for ext in (".shp", ".dbf", ".prj", ".cpg"):
            if path.with_suffix(ext).is_file():
                shutil.copyfile(path.with_suffix(ext), copy.with_suffix(ext))
        raw = _read_raw(copy, restore_shx=True)
    labels, lost = _labels_from(path, *raw, lenient=True, id_floor=id_floor)
    shapes = check.shapes if check.shapes is not None else len(raw[4])
    if shapes > len(raw[4]):
        lost.append(Msg("{n} record(s) whose attributes were cut off", n=shapes - len(raw[4])))
    crs = labels.epsg or labels.crs_wkt
    return labels.labels, lost, crs


def _labels_from(path: Path, props, geom_type, crs, crs_wkt, records, lenient: bool = False,
                 id_floor: int = 0):
    """(LabelSet, records left out) from what GDAL read; ``lenient`` leaves out records that
    cannot be trusted instead of refusing the file."""
    warnings: List[str] = []
    lost: List[str] = []
    if geom_type not in ("Polygon", "MultiPolygon", "3D Polygon", "3D MultiPolygon", None):
        raise LabelFileError(f"{path}: holds {geom_type} geometries, not polygons")

    lower = {name.lower(): name for name in props}
    mapping: Dict[str, Optional[str]] = {}
    for want in FIELD_NAMES:
        have = want if want in props else lower.get(want.lower())
        if have is not None and have != want:
            warnings.append(Msg("{name}: field '{have}' read as '{want}'",
                                name=path.name, have=have, want=want))
        mapping[want] = have
    absent = [f for f, have in mapping.items() if have is None and f != "Id"]
    if absent:
        raise LabelFileError(
            f"{path}: missing field(s) {', '.join(absent)}; a MIRAGE label file has "
            f"{', '.join(FIELD_NAMES)}")
    extra = [name for name in props if name not in mapping.values()]
    if extra:
        warnings.append(Msg("{name}: extra field(s) {items} are ignored; they are kept in "
                            "a backup if the file is rewritten",
                            name=path.name, items=', '.join(extra)))
    if mapping["Id"] is None:
        warnings.append(Msg("{name}: no Id field; labels numbered 1..n",
                            name=path.name))
    canonical = list(props.items()) == list(_schema_properties().items())

    epsg, wkt = None, None
    if crs:
        try:
            epsg = crs.to_epsg() if hasattr(crs, "to_epsg") else None
        except Exception:  # noqa: BLE001 - a CRS with no EPSG code is kept by its WKT
            epsg = None
        wkt = crs_wkt
    else:
        why = ("its .prj cannot be interpreted" if path.with_suffix(".prj").exists()
               else "no .prj file")
        warnings.append(Msg("{name}: {why}; coordinates taken as EPSG:{MIRAGE_EPSG}",
                            name=path.name, why=why, MIRAGE_EPSG=MIRAGE_EPSG))
        epsg = MIRAGE_EPSG
        canonical = False
    if not path.with_suffix(".cpg").exists():
        warnings.append(Msg("{name}: no .cpg file; text read in GDAL's default encoding",
                            name=path.name))

    norm = _Normaliser(path)
    labels: List[Label] = []
    ids_seen: Dict[int, int] = {}
    pending_new_ids: List[int] = []
    for i, (geom, rec) in enumerate(records, start=1):
        raw_id = rec.get(mapping["Id"]) if mapping["Id"] else None
        label_id: Optional[int]
        if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
            label_id = None
        else:
            label_id = norm.to_int(raw_id, "Id", i)
            if label_id < 1:
                label_id = None
        if label_id is not None and label_id in ids_seen:
            warnings.append(Msg("{name}: Id {label_id} repeated (records {ids_seen} and "
                                "{i}); the later one gets a new Id",
                                name=path.name, label_id=label_id, ids_seen=ids_seen[label_id],
                                i=i))
            label_id = None
        if label_id is not None:
            ids_seen[label_id] = i
        else:
            pending_new_ids.append(len(labels))
        try:
            box = _box_from_geometry(geom, norm, i, warnings,
                                     label_id if label_id else f"#{i}")
            label = Label(
                *box,
                cls=norm.to_code(rec.get(mapping["Class"]), "Class", i),
                sign_qual=norm.to_int(rec.get(mapping["Sign_Qual"]), "Sign_Qual", i),
                class_unc=norm.to_int(rec.get(mapping["Class_Unc"]), "Class_Unc", i),
                ifg=norm.to_ifg(rec.get(mapping["IFG"]), i),
                bt=norm.to_int(rec.get(mapping["Bt"]), "Bt", i),
                traj=norm.to_code(rec.get(mapping["Traj"]), "Traj", i, _TRAJ_ALIASES),
                id=label_id)
        except LabelFileError as exc:
            if not lenient:
                raise
            lost.append(str(exc))
            if label_id is not None:
                del ids_seen[label_id]
            else:
                pending_new_ids.pop()
            continue
        labels.append(label)
    next_id = max([id_floor, *ids_seen]) + 1
    renumbered = 0
    for index in pending_new_ids:
        labels[index] = labels[index].with_id(next_id)
        next_id += 1
        renumbered += 1
    if renumbered and mapping["Id"] is not None:
        warnings.append(Msg("{name}: {renumbered} label(s) without a valid unique Id got "
                            "new Ids",
                            name=path.name, renumbered=renumbered))
    for what, count in norm.counts.items():
        warnings.append(Msg("{name}: {what} ({count} value(s))", name=path.name, what=what,
                            count=count))
    for lab in labels:
        warnings += [f"{path.name}: {p.message}" for p in validate_label(lab)]
    return LabelSet(path=path, labels=labels, epsg=epsg, crs_wkt=wkt, warnings=warnings,
                    canonical_schema=canonical and not warnings), lost


def count_labels(path: Union[str, Path]) -> int:
    """Number of records, from the .shx header alone (fast, for lists of many files).
    ``LabelStore.count`` also finishes an interrupted save first."""
    shx = Path(path).with_suffix(".shx")
    if not shx.exists():
        return 0
    size = os.path.getsize(shx)
    return max(0, (size - 100) // 8)
