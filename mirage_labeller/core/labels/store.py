"""The label store: the one writer of MIRAGE label shapefiles (one file per interferogram).

Every read-modify-write (``LabelStore.modify``: add, replace, update and delete with merging,
a review's decisions) holds the folder lock from the read to the rename; writing validates
every label, writes the whole set beside the target (``labels.writer``) and swaps it in
through ``atomic_fileset``, so a crash leaves the old set or the new one. A file whose schema
is not MIRAGE's is backed up before it is first rewritten; a damaged one is never saved over
(``salvage`` is the repair a user may ask for). Ids are never given twice (``labels.ids``).

Reading is ``labels.reader``'s (``read_label_file``), re-exported here with the names callers
have always imported from the store.
"""
from __future__ import annotations

import datetime as dt
import math
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import List, Optional, Sequence, Tuple, Union

from ..base import crs as base_crs
from ..base.crs import CrsLike
from ..base.errors import from_os_error
from ..base.messages import Msg
from . import atomic_fileset
from . import merge as label_merge
from .ids import MAX_ID, assign_ids, read_high_water, save_high_water
from .reader import (
    BACKUP_DIR,
    DamagedLabelFileError,
    LabelFileError,
    LabelSet,
    _schema_properties,
    count_labels,
    read_label_file,
    salvage_records,
)
from .schema import MIRAGE_EPSG, Label, errors_only, unrepresentable, validate_label
from .writer import SHAPEFILE_PARTS, _verify, _write_shapefile

__all__ = [
    "BACKUP_DIR", "MAX_ID", "SHAPEFILE_PARTS", "STALE_SIDECARS", "UNCHANGED", "Change",
    "DamagedLabelFileError", "LabelConflictError", "LabelFileError", "LabelSet", "LabelStore",
    "SaveResult", "count_labels", "read_label_file", "salvage_records",
    "_reprojected", "_same_crs", "_schema_properties", "_verify", "_write_shapefile",
]

# Sidecars other software builds from the geometry; stale once the geometry changes.
STALE_SIDECARS = atomic_fileset.SIDECARS
UNCHANGED = object()  # what a ``LabelStore.modify`` change returns when it changes nothing


@dataclass
class SaveResult:
    path: Path
    labels: List[Label]
    backup: Optional[Path] = None


class _ReadOnlyPendingError(LabelFileError):
    """``atomic_fileset.PendingReadOnlyError`` as the store reports it."""


class LabelConflictError(LabelFileError):
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
            except _ReadOnlyPendingError:
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
            except _ReadOnlyPendingError as exc:
                return self._pending_view(stem, exc)
            return self._read_unlocked(stem) or LabelSet(self.path(stem), [], MIRAGE_EPSG, None)

    def _pending_view(self, stem: str, why: "_ReadOnlyPendingError") -> LabelSet:
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
        LabelConflictError when the other session changed the same attribute or deleted it."""
        out = Change(None, None)

        def change(current):
            now = next((lab for lab in current if lab.id == label.id), None)
            if now is None:
                if base is not None:
                    raise LabelConflictError(Msg(
                        "{path}: label {id} was deleted by another session since it was shown "
                        "here; your change is not saved",
                        path=self.path(stem), id=label.id), path=self.path(stem))
                raise LabelFileError(f"{self.path(stem)}: no label with Id {label.id}")
            new = label
            if base is not None and now != base:
                new, out.merged, conflicts = label_merge.merge(base, label, now)
                if new is None:
                    raise LabelConflictError(Msg(
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
        it (LabelConflictError when another session changed it meanwhile; nothing to do when it
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
                raise LabelConflictError(Msg(
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
            final = assign_ids(proposed, self.path(stem), floor)
            unchanged = {(lab.bounds, tuple(lab.record().items())) for lab in before}
            if current is not None:
                file_crs = current.epsg or current.crs_wkt
                if crs is not None and file_crs is not None and not _same_crs(crs, file_crs):
                    # the file keeps its CRS; new labels come into it (a box drawn on a raster
                    # in another UTM zone must not move the file's labels); labels already in
                    # the file keep their coordinates even when their attributes change
                    known = {lab.id for lab in before}
                    try:
                        final = [lab if lab.id in known else _reprojected(lab, crs, file_crs)
                                 for lab in final]
                    except base_crs.CrsError as exc:  # a CRS that cannot be read
                        raise LabelFileError(f"{self.path(stem)}: not saved: {exc}",
                                             path=self.path(stem)) from None
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
            except DamagedLabelFileError:
                pass  # what salvage is for
            else:
                raise LabelFileError(f"{path}: reads whole; nothing to repair")
            labels, lost, crs = salvage_records(path, self._high_water(stem))
            backup = self._backup(stem)
            stage = atomic_fileset.new_stage(self.directory, stem)
            try:
                final = assign_ids(labels, path, max([self._high_water(stem),
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
        except atomic_fileset.PendingReadOnlyError as exc:
            raise _ReadOnlyPendingError(exc.message, path=self.path(stem)) from None
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
        """The highest Id the file ever had (``ids.read_high_water``)."""
        return read_high_water(self._ids_file(stem))

    def _save_high_water(self, stem: str, value: int) -> None:
        save_high_water(self._ids_file(stem), value)

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


def _same_crs(a, b) -> bool:
    """Whether two CRSs (EPSG codes, text, CRS objects) are the same (``base.crs.same``)."""
    return base_crs.same(a, b)


def _reprojected(label: Label, src, dst) -> Label:
    """The label's box as an N-S envelope in ``dst`` (``base.crs.convert_bounds``); CrsError
    when either CRS is unknown or cannot be read, infinite coordinates where the box lies
    outside what ``dst`` can show (PROJ's answer there: saving refuses such a label)."""
    readable = base_crs.parse(src) is not None and base_crs.parse(dst) is not None
    try:
        x0, y0, x1, y1 = base_crs.convert_bounds(label.bounds, src, dst)
    except base_crs.CrsError:
        if not readable:
            raise
        x0 = y0 = x1 = y1 = math.inf
    return replace(label, xmin=x0, ymin=y0, xmax=x1, ymax=y1)
