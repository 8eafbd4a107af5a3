"""The one reader and writer of MIRAGE label shapefiles (one file per interferogram).

Reading tolerates what other GIS write (numbers stored as text or float, lower-case codes,
other field-name case, extra fields) and says what it normalised; it refuses what it cannot
trust with an error naming the file. Writing validates every label, writes the whole set beside
the target and swaps it in through ``atomic_fileset``, so a crash leaves the old set or the new
one. A file whose schema is not MIRAGE's is backed up before it is first rewritten.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
import shutil
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import atomic_fileset

from . import merge as label_merge
from ..base.errors import InputError, clean_library_text, from_os_error
from ..base.messages import Msg
from .shapefile_check import check_shapefile
from .schema import (FIELD_NAMES, FIELDS, MIRAGE_EPSG, Label, errors_only, unrepresentable,
                     validate_label)

SHAPEFILE_PARTS = atomic_fileset.PARTS
# Sidecars other software builds from the geometry; stale once the geometry changes.
STALE_SIDECARS = atomic_fileset.SIDECARS
MAX_ID = 10 ** 9 - 1  # the widest Id MIRAGE's field (int 9) holds
BACKUP_DIR = ".mirage-backup"
_RECT_TOL = 1e-6

CrsLike = Union[int, str, None]
UNCHANGED = object()  # what a ``LabelStore.modify`` change returns when it changes nothing


class LabelFileError(InputError):
    """A label file that cannot be trusted or written; the message names the file."""


class DamagedLabelFile(LabelFileError):
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


@dataclass
class SaveResult:
    path: Path
    labels: List[Label]
    backup: Optional[Path] = None


def _schema_properties() -> "OrderedDict[str, str]":
    return OrderedDict((f.name, f.fiona_type) for f in FIELDS)


# ---------------------------------------------------------------- reading


class _Normaliser:
    """Turns raw DBF values into schema values and counts what it had to change."""

    def __init__(self, path: Path):
        self.path = path
        self.counts: "OrderedDict[str, int]" = OrderedDict()

    def note(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def fail(self, record_no: int, msg: str) -> LabelFileError:
        return DamagedLabelFile(f"{self.path}: record {record_no}: {msg}")

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
    except Exception as exc:  # malformed coordinates
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
        raise DamagedLabelFile(Msg(
            "{path}: {problem}; not read, so that no label is lost by a save - restore the "
            "file set from where it came (or its backup in {backup}/)",
            path=path, problem=check.problems[0], backup=BACKUP_DIR), path=path)
    raw = _read_raw(path)
    if check.expected_features is not None and len(raw[4]) != check.expected_features:
        raise DamagedLabelFile(f"{path}: {len(raw[4])} of its {check.expected_features} "
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


# ---------------------------------------------------------------- the store


class _ReadOnlyPending(LabelFileError):
    """``atomic_fileset.PendingReadOnly`` as the store reports it."""


class LabelConflict(LabelFileError):
    """Another session changed or deleted the label since this one read it; nothing saved."""

    def __init__(self, message: str, current: Optional[Label] = None, **kw):
        super().__init__(message, **kw)
        self.current = current  # the label as it is on disk now (None: deleted)


@dataclass
class Change:
    """One label's edit as saved: ``before`` as it was on disk under the lock (None: added),
    ``after`` as written (None: deleted), and what another session had changed meanwhile."""

    before: Optional[Label]
    after: Optional[Label]
    merged: List[str] = field(default_factory=list)


class LabelStore:
    """Label files of one folder, ``<folder>/<interferogram stem>.shp``.

    Every read-modify-write (add, replace, delete, a review's decisions) holds the folder lock
    from the read to the rename, so two sessions saving at once both keep their labels. An Id
    is never given twice in a file, even after a delete and by another session: the highest Id
    each file ever had is kept on disk (``.mirage-staging/.ids/<stem>``), so undo can bring a
    label back under its Id. Edits that name the label they started from are merged with what
    another session saved meanwhile (``label_merge``)."""

    def __init__(self, directory: Union[str, Path]):
        self.directory = Path(directory)

    def path(self, stem: str) -> Path:
        return self.directory / f"{stem}.shp"

    def stems(self) -> List[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.name[:-4] for p in self.directory.iterdir()
                      if p.name.lower().endswith(".shp") and not p.name.startswith(".")
                      and p.is_file())

    def exists(self, stem: str) -> bool:
        pending_read_only = False
        with self._lock(write=False):
            try:
                self._recover(stem)
            except _ReadOnlyPending:
                pending_read_only = True
        if pending_read_only:  # read outside the lock hold: flock does not nest
            return bool(self.read(stem).labels) or self.path(stem).exists()
        return self.path(stem).exists()

    def count(self, stem: str) -> int:
        """Number of labels, from the .shx header (fast) unless a save must be recovered."""
        if atomic_fileset.pending(self.directory, stem):
            return len(self.read(stem).labels)
        return count_labels(self.path(stem))

    def read(self, stem: str) -> LabelSet:
        """The labels of ``stem``; an empty set when the file does not exist yet."""
        if not self.directory.is_dir():
            return LabelSet(self.path(stem), [], MIRAGE_EPSG, None)
        with self._lock(write=False):
            try:
                self._recover(stem)
            except _ReadOnlyPending as exc:
                return self._pending_view(stem, exc)
            return self._read_unlocked(stem) or LabelSet(self.path(stem), [], MIRAGE_EPSG, None)

    def _pending_view(self, stem: str, why: "_ReadOnlyPending") -> LabelSet:
        """A read-only folder whose interrupted save cannot be finished now: the labels as
        they will be once it is (read from a copy), with a warning; saving fails there."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="mirage-pending-") as tmp:
            try:
                copy = atomic_fileset.pending_view(self.directory, stem, Path(tmp))
            except atomic_fileset.FileSetError as exc:
                raise LabelFileError(exc.message, path=self.path(stem)) from None
            except OSError as exc:
                raise from_os_error(exc, self.path(stem), "reading", LabelFileError) from None
            if not copy.exists():
                return LabelSet(self.path(stem), [], MIRAGE_EPSG, None, [why.message])
            result = read_label_file(copy)
        result.path = self.path(stem)
        result.warnings.insert(0, Msg("{problem}; its labels are shown as that save left them, "
                                      "read-only", problem=why.message))
        return result

    def write(self, stem: str, labels: Sequence[Label], crs: CrsLike = None) -> SaveResult:
        """Replace the labels of ``stem`` by ``labels``; new labels (id None) get fresh Ids.

        ``crs`` is an EPSG code or WKT; by default the existing file's CRS, else EPSG:32632.
        Labels that change must be valid; labels kept as they were in the file pass as they
        are (a foreign file with a questionable value can still be added to).
        Returns only once the new files are in place.
        """
        return self.modify(stem, lambda current: list(labels), crs)

    def add(self, stem: str, label: Label, crs: CrsLike = None) -> Label:
        """Append one label and return it as saved: a new Id when it has none, its own Id
        otherwise (undoing a delete brings the label back under the Id it had)."""
        return self.modify(stem, lambda current: current + [label], crs).labels[-1]

    def replace_label(self, stem: str, label: Label) -> Label:
        """Save ``label`` over the label of its Id (whatever that is now); see ``update``."""
        return self.update(stem, label).after

    def update(self, stem: str, label: Label, base: Optional[Label] = None) -> Change:
        """Save ``label`` over the label of its Id. With ``base`` (the label as this session
        read it) only what changed from ``base`` is applied to the label as it is now;
        LabelConflict when the other session changed the same attribute or deleted it."""
        out = Change(None, None)

        def change(current):
            now = next((lab for lab in current if lab.id == label.id), None)
            if now is None:
                if base is not None:
                    raise LabelConflict(Msg(
                        "{path}: label {id} was deleted by another session since it was shown "
                        "here; your change is not saved",
                        path=self.path(stem), id=label.id), path=self.path(stem))
                raise LabelFileError(f"{self.path(stem)}: no label with Id {label.id}")
            new = label
            if base is not None and now != base:
                new, out.merged, conflicts = label_merge.merge(base, label, now)
                if new is None:
                    raise LabelConflict(Msg(
                        "{path}: label {id} was changed by another session since it was shown "
                        "here ({what}); your change is not saved - the map shows theirs",
                        path=self.path(stem), id=label.id, what="; ".join(conflicts)),
                        current=now, path=self.path(stem))
            out.before, out.after = now, new
            return [new if lab.id == label.id else lab for lab in current]

        self.modify(stem, change)
        return out

    def delete(self, stem: str, label_id: int, base: Optional[Label] = None) -> Change:
        """Remove label ``label_id``. With ``base``: only when it is still as this session saw
        it (LabelConflict when another session changed it meanwhile; nothing to do when it
        deleted it)."""
        out = Change(None, None)

        def change(current):
            now = next((lab for lab in current if lab.id == label_id), None)
            if now is None:
                if base is not None:
                    out.merged = [Msg("already deleted by another session")]
                    return UNCHANGED
                raise LabelFileError(f"{self.path(stem)}: no label with Id {label_id}")
            if base is not None and now != base:
                raise LabelConflict(Msg(
                    "{path}: label {id} was changed by another session since it was shown "
                    "here; it is not deleted - look at it again first",
                    path=self.path(stem), id=label_id), current=now, path=self.path(stem))
            out.before = now
            return [lab for lab in current if lab.id != label_id]

        self.modify(stem, change)
        return out

    def modify(self, stem: str, change, crs: CrsLike = None, backup: bool = False) -> SaveResult:
        """The one read-modify-write: under the folder lock, read ``stem``'s labels, call
        ``change(labels) -> labels`` and save the result (``backup``: copy the file set to
        ``.mirage-backup/`` first); ``change`` returns ``UNCHANGED`` when there is nothing to
        save. A file that cannot be read whole is never rewritten."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LabelFileError(f"{self.directory}: cannot create the labels folder "
                                 f"({exc.strerror or exc})") from None
        with self._lock(write=True):
            self._recover(stem)
            current = self._read_unlocked(stem)
            before = current.labels if current else []
            floor = max([self._high_water(stem), *(lab.id for lab in before)])
            proposed = change(list(before))
            if proposed is UNCHANGED:
                return SaveResult(self.path(stem), before, None)
            final = _assign_ids(proposed, self.path(stem), floor)
            unchanged = {(lab.bounds, tuple(lab.record().items())) for lab in before}
            if current is not None:
                file_crs = current.epsg or current.crs_wkt
                if crs is not None and file_crs is not None and not _same_crs(crs, file_crs):
                    # the file keeps its CRS; new labels come into it (a box drawn on a raster
                    # in another UTM zone must not move the file's labels); labels already in
                    # the file keep their coordinates even when their attributes change
                    known = {lab.id for lab in before}
                    final = [lab if lab.id in known else _reprojected(lab, crs, file_crs)
                             for lab in final]
                crs = file_crs if file_crs is not None else crs
            problems = []
            for lab in final:
                if (lab.bounds, tuple(lab.record().items())) in unchanged:
                    problems += [f"label {lab.id}: {m}" for m in unrepresentable(lab)]
                else:
                    problems += [p.message for p in errors_only(validate_label(lab))]
            if problems:
                raise LabelFileError(f"{self.path(stem)}: not saved: " + "; ".join(problems))
            backup_path = None
            if current is not None and (backup or not current.canonical_schema):
                backup_path = self._backup(stem)
            self._save_high_water(stem, max([floor, *(lab.id for lab in final)]))
            stage = atomic_fileset.new_stage(self.directory, stem)
            try:
                _write_shapefile(stage / f"{stem}.shp", final, crs if crs else MIRAGE_EPSG)
                _verify(stage / f"{stem}.shp", final)
            except BaseException:
                atomic_fileset.discard(stage)
                raise
            try:
                atomic_fileset.commit(self.directory, stem, stage,
                                      stale=[stem + ext for ext in STALE_SIDECARS])
            except atomic_fileset.FileSetError as exc:
                raise LabelFileError(str(exc)) from None
            except OSError as exc:
                raise from_os_error(exc, self.path(stem), "saving", LabelFileError) from None
        return SaveResult(self.path(stem), final, backup_path)

    def backup(self, stem: str) -> Path:
        """A copy of the file set of ``stem`` in ``.mirage-backup/<stem>-<time>/``."""
        with self._lock(write=True):
            self._recover(stem)
            return self._backup(stem)

    def salvage(self, stem: str) -> Tuple[Path, List[Label], List[str]]:
        """The repair a user asks for when a file cannot be read whole: the damaged set is
        copied to ``.mirage-backup/`` first, then the records that can be read are written as
        a new, whole file. Returns (backup, labels kept, what was lost)."""
        with self._lock(write=True):
            self._recover(stem)
            path = self.path(stem)
            try:
                read_label_file(path)
            except DamagedLabelFile:
                pass  # what salvage is for
            else:
                raise LabelFileError(f"{path}: reads whole; nothing to repair")
            labels, lost, crs = salvage_records(path, self._high_water(stem))
            backup = self._backup(stem)
            stage = atomic_fileset.new_stage(self.directory, stem)
            try:
                final = _assign_ids(labels, path, max([self._high_water(stem),
                                                       *(lab.id or 0 for lab in labels)]))
                self._save_high_water(stem, max([0, *(lab.id for lab in final)]))
                _write_shapefile(stage / f"{stem}.shp", final, crs or MIRAGE_EPSG)
                _verify(stage / f"{stem}.shp", final)
            except BaseException:
                atomic_fileset.discard(stage)
                raise
            try:
                atomic_fileset.commit(self.directory, stem, stage,
                                      stale=[stem + ext for ext in STALE_SIDECARS])
            except atomic_fileset.FileSetError as exc:
                raise LabelFileError(str(exc)) from None
            except OSError as exc:
                raise from_os_error(exc, path, "saving", LabelFileError) from None
        return backup, final, lost

    # ------------------------------------------------------------ internals
    def _lock(self, write: bool):
        @contextmanager
        def guarded():
            try:
                with atomic_fileset.locked(self.directory, write=write):
                    yield
            except atomic_fileset.FileSetError as exc:
                raise LabelFileError(str(exc)) from None
        return guarded()

    def _recover(self, stem: str) -> None:
        try:
            atomic_fileset.recover(self.directory, stem)
        except atomic_fileset.PendingReadOnly as exc:
            raise _ReadOnlyPending(exc.message, path=self.path(stem)) from None
        except atomic_fileset.FileSetError as exc:
            raise LabelFileError(exc.message, path=self.path(stem)) from None
        except OSError as exc:
            raise from_os_error(exc, self.path(stem), "finishing an interrupted save",
                                LabelFileError) from None

    def _read_unlocked(self, stem: str) -> Optional[LabelSet]:
        if not self.path(stem).exists():
            return None
        return read_label_file(self.path(stem), self._high_water(stem))

    def _ids_file(self, stem: str) -> Path:
        return self.directory / atomic_fileset.STAGING / ".ids" / atomic_fileset.check_stem(stem)

    def _high_water(self, stem: str) -> int:
        """The highest Id the file ever had (0 when unknown: the file's own Ids then rule);
        a value no Id field holds, or a link, is not trusted."""
        path = self._ids_file(stem)
        try:
            if path.is_symlink() or path.parent.is_symlink():
                return 0
            text = path.read_text(encoding="ascii").strip()
            value = int(text) if text.isdigit() and len(text) <= 9 else 0
        except (OSError, ValueError):
            return 0
        return value if value <= MAX_ID else 0

    def _save_high_water(self, stem: str, value: int) -> None:
        path = self._ids_file(stem)
        value = max(value, self._high_water(stem))  # written by every save: one more step each
        if path.parent.is_symlink():
            raise LabelFileError(f"{path.parent}: is a link; remove it (nothing is written "
                                 "through it)")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()  # a link planted there is removed, never written through
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o644)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(f"{value}\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def _backup(self, stem: str) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        folder = self.directory / BACKUP_DIR
        if folder.is_symlink():
            raise LabelFileError(f"{folder}: is a link; remove it (no backup is written "
                                 "through it)")
        target = folder / f"{stem}-{stamp}"
        target.mkdir(parents=True)
        for p in self.directory.iterdir():
            if p.is_file() and not p.is_symlink() and p.name.startswith(stem + ".") and \
                    p.name[len(stem):].lower() in SHAPEFILE_PARTS + STALE_SIDECARS:
                shutil.copy2(p, target / p.name)
        return target


def _crs_text(crs) -> str:
    return f"EPSG:{crs}" if isinstance(crs, int) else str(crs)


def _same_crs(a, b) -> bool:
    from rasterio.crs import CRS

    try:
        return CRS.from_user_input(_crs_text(a)) == CRS.from_user_input(_crs_text(b))
    except Exception:  # noqa: BLE001 - an unreadable CRS: compare the text
        return _crs_text(a) == _crs_text(b)


def _reprojected(label: Label, src, dst) -> Label:
    """The label's box as an N-S envelope in ``dst``."""
    from rasterio.warp import transform_bounds

    x0, y0, x1, y1 = transform_bounds(_crs_text(src), _crs_text(dst), *label.bounds,
                                      densify_pts=21)
    return replace(label, xmin=x0, ymin=y0, xmax=x1, ymax=y1)


def _assign_ids(labels: Sequence[Label], path: Path, floor: int = 0) -> List[Label]:
    """Keep given Ids (refusing repeats); number the others above every Id seen (``floor``)."""
    seen = set()
    for lab in labels:
        if lab.id is None:
            continue
        if lab.id in seen:
            raise LabelFileError(f"{path}: not saved: Id {lab.id} appears twice")
        seen.add(lab.id)
    next_id = max([floor, *seen]) + 1
    if next_id + sum(lab.id is None for lab in labels) > MAX_ID + 1:
        raise LabelFileError(f"{path}: not saved: no Id left below {MAX_ID + 1} for new labels")
    out = []
    for lab in labels:
        if lab.id is None:
            lab = lab.with_id(next_id)
            next_id += 1
        out.append(lab)
    return out


def _fiona_crs(crs: CrsLike):
    from fiona.crs import CRS

    if isinstance(crs, int):
        return CRS.from_epsg(crs)
    return CRS.from_user_input(crs)


def _write_shapefile(path: Path, labels: Iterable[Label], crs: CrsLike) -> None:
    import fiona

    schema = {"geometry": "Polygon", "properties": _schema_properties()}
    with fiona.open(str(path), "w", driver="ESRI Shapefile", crs=_fiona_crs(crs), schema=schema,
                    encoding="utf-8") as dst:
        dst.writerecords({"geometry": {"type": "Polygon", "coordinates": [lab.ring()]},
                          "properties": lab.record()} for lab in labels)
    for ext in SHAPEFILE_PARTS:
        if not path.with_suffix(ext).exists():
            raise LabelFileError(f"{path}: GDAL did not write the {ext} part")


def _verify(path: Path, labels: List[Label]) -> None:
    """Read the staged file back before it replaces anything."""
    back = read_label_file(path)
    if [(lab.record(), lab.bounds) for lab in back.labels] != \
            [(lab.record(), lab.bounds) for lab in labels]:
        raise LabelFileError(f"{path}: the written labels do not read back identically")


def count_labels(path: Union[str, Path]) -> int:
    """Number of records, from the .shx header alone (fast, for lists of many files).
    ``LabelStore.count`` also finishes an interrupted save first."""
    shx = Path(path).with_suffix(".shx")
    if not shx.exists():
        return 0
    size = os.path.getsize(shx)
    return max(0, (size - 100) // 8)
