"""Where a command may write, and writing so that an output is complete or absent.

Two rules for every command's outputs:

- **Never over an input.** An output path that is one of the command's inputs (``quicklook
  IFG.tif --out IFG.tif``), lies inside a label folder (``processes --out labels/x.shp``
  would replace a shapefile's part with a GeoPackage; ``audit --csv labels/y.dbf`` a label
  file's attributes) or whose folder is a file is refused before any work, naming the path.
- **Complete or absent.** Each output is written under a hidden temporary name beside its
  target (same folder, so the final move is a rename on one filesystem) and renamed into
  place when the whole result is written; on any failure (a full disk, a damaged input met
  half-way, a cancel) the temporaries are removed, so no 0-byte CSV, half PNG or
  ``.partial`` GeoPackage is left, and what was at the target before is still there.

``OutputFiles`` does this for a set of files that belong together (a report's HTML and its
CSVs are moved in one after the other only once all are written).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Tuple, Union

from .errors import OutputError, from_os_error

PathLike = Union[str, os.PathLike]
_TEMP_MARK = ".partial-"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        p, f = path.resolve(), folder.resolve()
    except (OSError, RuntimeError):
        return False
    return p == f or f in p.parents


_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")


def _with_parts(inputs: Iterable[PathLike]) -> Iterator[Path]:
    """Inputs, a shapefile with every part of it (its .dbf is as much an input as its .shp)."""
    for given in inputs:
        given = Path(given)
        yield given
        if given.suffix.lower() == ".shp":
            for ext in _SHAPEFILE_PARTS[1:]:
                yield given.with_suffix(ext)
        elif given.suffix.lower() in (".tif", ".tiff", ".vrt", ".img"):
            yield given.with_name(given.name + ".aux.xml")
            yield given.with_name(given.name + ".ovr")


def is_label_folder(folder: Path) -> bool:
    """A folder the label store writes (its staging folder) or that holds label files."""
    try:
        return (folder / ".mirage-staging").is_dir() or (
            folder.name == "labels" and any(folder.glob("*.shp")))
    except OSError:
        return False


def check_output(path: PathLike, inputs: Iterable[PathLike] = (),
                 protected: Iterable[PathLike] = (), folder: bool = False,
                 suffixes: Tuple[str, ...] = ()) -> Path:
    """``path`` as a Path when it is a place this command may write to; OutputError otherwise.

    ``inputs``: files (or folders) the command reads - an output may be none of them;
    ``protected``: folders nothing may be written into, besides any label folder (one the
    store writes, or ``labels/`` holding shapefiles); ``folder``: the output is a folder;
    ``suffixes``: the endings a file of this kind has (``--png slope.tif`` would replace a
    raster with a picture: refused)."""
    out = Path(path)
    if str(path) == "":
        raise OutputError.at(path, "an empty output name")
    if suffixes and not folder and out.suffix.lower() not in suffixes:
        raise OutputError.at(path, f"does not end in {' or '.join(suffixes)}",
                             f"give a {suffixes[0]} file name")
    if out.is_symlink() and not out.exists():
        raise OutputError.at(path, "is a link to something that does not exist",
                             "give the real path or remove the link")
    for given in _with_parts(inputs):
        if _same_file(out, given) or out.resolve() == given.resolve():
            raise OutputError.at(path, "is an input of this command; it would be overwritten",
                                 "choose another output name")
    for guarded in protected:
        if _inside(out, Path(guarded)):
            raise OutputError.at(path, f"lies inside the label folder {guarded}",
                                 "write outputs outside it")
    start = (out if folder else out.parent).resolve()
    for up in (start, *start.parents):
        if is_label_folder(up):
            raise OutputError.at(path, f"lies inside the label folder {up}",
                                 "write outputs outside it")
    parent = out.parent
    for up in (parent, *parent.parents):
        if up.exists():
            if not up.is_dir():
                raise OutputError.at(path, f"{up} is a file, not a folder",
                                     "choose an output in a folder")
            break
    if not folder and out.is_dir():
        raise OutputError.at(path, "is a folder", "give a file name")
    if folder and out.exists() and not out.is_dir():
        raise OutputError.at(path, "exists and is a file, not a folder")
    return out


def temporary_name(target: Path) -> Path:
    """A hidden name beside ``target`` that keeps its suffix (writers such as matplotlib and
    GDAL pick the format from it)."""
    return target.with_name(f".{target.stem}{_TEMP_MARK}{uuid.uuid4().hex[:8]}{target.suffix}")


def is_temporary(path: PathLike) -> bool:
    name = Path(path).name
    return name.startswith(".") and _TEMP_MARK in name


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    for side in ("-journal", "-wal", "-shm", ".aux.xml"):  # SQLite's and GDAL's companions
        with contextlib.suppress(OSError):
            path.with_name(path.name + side).unlink()


class OutputFiles:
    """The files (or folders) of one result: ``temp(target)`` gives where to write each,
    ``commit()`` renames them all into place, ``discard()`` removes them. As a context
    manager it commits on success and discards on any exception, turning an OSError into an
    OutputError that names the target (not the temporary name)."""

    def __init__(self) -> None:
        self._pending: List[Tuple[Path, Path]] = []

    def temp(self, target: PathLike, folder: bool = False) -> Path:
        target = Path(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise from_os_error(exc, target.parent, "creating the folder", OutputError) from None
        remove_leftovers(target.parent, older_than_s=86400.0)  # a killed run's, a day old
        tmp = temporary_name(target)
        if folder:
            try:
                tmp.mkdir()
            except OSError as exc:
                raise from_os_error(exc, target, "writing", OutputError) from None
        self._pending.append((tmp, target))
        return tmp

    @property
    def targets(self) -> List[Path]:
        return [t for _, t in self._pending]

    def commit(self) -> List[Path]:
        done = []
        for tmp, target in self._pending:
            if not tmp.exists():
                continue  # a writer that had nothing to write
            try:
                if tmp.is_dir() and target.is_dir():
                    _merge_folder(tmp, target)
                else:
                    os.replace(tmp, target)
            except OSError as exc:
                self.discard()
                raise from_os_error(exc, target, "moving the result into place",
                                    OutputError) from None
            done.append(target)
        self._pending = []
        return done

    def discard(self) -> None:
        for tmp, _ in self._pending:
            _remove(tmp)
        self._pending = []

    def __enter__(self) -> "OutputFiles":
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if kind is None:
            self.commit()
            return False
        targets = self.targets
        self.discard()
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            target = next((t for t in targets if exc.filename and
                           Path(exc.filename).name.startswith(f".{t.stem}")), None)
            raise from_os_error(exc, target or (targets[0] if targets else None), "writing",
                                OutputError) from None
        if isinstance(exc, Exception) and _is_write_failure(exc) and targets:
            # GDAL and SQLite say "database or disk is full" in a page of SQL: one line
            raise OutputError.at(targets[0], "could not be written: the disk is full or "
                                             "refuses the write",
                                 "free some space or choose another place") from None
        return False


_WRITE_FAILURES = ("disk is full", "no space left", "write failed", "failed to write",
                   "read-only file system", "disk quota")


def _is_write_failure(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(marker in text for marker in _WRITE_FAILURES)


def _merge_folder(tmp: Path, target: Path) -> None:
    """Move a written folder's content into an existing (empty or older) target folder."""
    for item in sorted(tmp.iterdir()):
        dest = target / item.name
        if dest.is_dir() and item.is_dir():
            _merge_folder(item, dest)
        else:
            if dest.is_dir():
                shutil.rmtree(dest)
            os.replace(item, dest)
    tmp.rmdir()


@contextlib.contextmanager
def output_file(target: PathLike) -> Iterator[Path]:
    """Write one file complete-or-absent: ``with output_file(p) as tmp: write(tmp)``."""
    with OutputFiles() as files:
        yield files.temp(target)


def leftovers(folder: PathLike) -> List[Path]:
    """Temporaries a killed run left in ``folder`` (for tests and clean-up)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if is_temporary(p))


def remove_leftovers(folder: PathLike, older_than_s: float = 3600.0,
                     now: Optional[float] = None) -> int:
    """Remove temporaries of runs killed at least ``older_than_s`` ago (a kill leaves them:
    nothing runs after SIGKILL); newer ones may belong to a run still going."""
    import time

    now = time.time() if now is None else now
    removed = 0
    for p in leftovers(folder):
        try:
            if now - p.stat().st_mtime >= older_than_s:
                _remove(p)
                removed += 1
        except OSError:
            continue
    return removed
