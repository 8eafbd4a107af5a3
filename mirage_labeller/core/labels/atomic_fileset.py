"""Crash-safe replacement of a set of files that only make sense together.

A shapefile is .shp + .shx + .dbf (+ .prj, .cpg); one rename cannot swap them all. So the new
set is written to a staging folder beside the target, a journal naming the moves is written
atomically (the commit point), then the files are moved in. ``recover`` finishes a committed
move or discards an uncommitted one, so after a crash at any instant the next open sees the old
set or the new one, never a mix. Everything stays inside the target folder, so every move is a
same-filesystem rename.

A label folder travels (shared drives, workshop packs, a colleague's zip), so a journal is
data someone else may have written. Recovery follows it only when every name in it is one
this module writes itself: the stage ``new-<12 hex>`` inside the stem's own folder, file names
``<stem>.<ext>`` with no path in them, nothing a symbolic link; anything else is refused with
an error naming the journal, and nothing is moved or deleted.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Iterable, Iterator, List, Optional

from ..base.errors import InputError

STAGING = ".mirage-staging"
_JOURNAL = "journal.json"
_LOCK = ".lock"  # a dot in front: never a stem
_STAGE_NAME = re.compile(r"new-[0-9a-f]{12}")
# the parts a save moves in, and the sidecars it deletes (other software builds them from the
# geometry; stale once it changes): a journal may name nothing else
PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
SIDECARS = (".qix", ".sbn", ".sbx", ".fbn", ".fbx", ".ain", ".aih", ".atx", ".ixs", ".mxs",
            ".shp.xml")
_MAX_JOURNAL_BYTES = 64 * 1024  # a real journal is a few hundred bytes
LOCK_TIMEOUT_S = 30.0


class FileSetError(InputError):
    """A file set that cannot be locked, recovered or moved in; the message says why."""


class PendingReadOnlyError(FileSetError):
    """An interrupted save waits to be finished in a folder that cannot be written now."""


def _fsync_file(path: Path) -> None:
    # read-write: Windows' FlushFileBuffers refuses a read-only handle
    fd = os.open(str(path), os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_stem(stem: str) -> str:
    """A stem is a plain file name: no path, no dot in front (names of this module's own
    files start with one), nothing a save could turn into a move outside the folder."""
    if (not stem or stem in (".", "..") or stem.startswith(".") or "/" in stem
            or "\\" in stem or "\0" in stem or os.sep in stem
            or (os.altsep and os.altsep in stem)):
        raise FileSetError(f"{stem!r}: not a usable label file name (a plain name without a "
                           "folder is needed)")
    return stem


def _stem_dir(directory: Path, stem: str) -> Path:
    return Path(directory) / STAGING / check_stem(stem)


def _make_staging(directory: Path) -> Path:
    staging = Path(directory) / STAGING
    if not staging.is_dir():
        staging.mkdir(parents=True, exist_ok=True)
        if os.name == "nt":  # pragma: no cover - Windows: hide it like a dot-folder elsewhere
            import ctypes

            ctypes.windll.kernel32.SetFileAttributesW(str(staging), 0x02)
    return staging


@contextlib.contextmanager
def locked(directory: Path, write: bool = True) -> Iterator[None]:
    """Exclusive lock on a folder's file sets, across processes (two QGIS sessions).

    Readers (``write=False``) of a folder no MIRAGE session ever wrote, or of a read-only
    folder, go without a lock: there is nothing to wait for and nowhere to put one."""
    staging = Path(directory) / STAGING
    if staging.is_symlink():
        raise FileSetError(f"{staging}: is a link, not a folder of this label folder; remove it "
                           "(nothing is written through it)")
    if write:
        _make_staging(directory)
    elif not staging.is_dir():
        yield
        return
    try:
        if (staging / _LOCK).is_symlink():
            raise FileSetError(f"{staging / _LOCK}: is a link; remove it (nothing is written "
                               "through it)")
        fh = os.fdopen(os.open(staging / _LOCK, os.O_RDWR | os.O_CREAT | os.O_APPEND |
                               getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0),
                               0o666), "a+b")
    except OSError:
        if write:
            raise FileSetError(f"{directory}: cannot write here (read-only?)") from None
        yield
        return
    with fh:
        if os.name == "posix":
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        else:  # pragma: no cover - Windows
            import msvcrt
            import time

            deadline = time.monotonic() + LOCK_TIMEOUT_S
            while True:
                try:
                    fh.seek(0)
                    msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise FileSetError(f"{directory}: label files are locked by another "
                                           "MIRAGE session; try again when it has saved"
                                           ) from None
                    time.sleep(0.1)
            try:
                yield
            finally:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)


def pending(directory: Path, stem: str) -> bool:
    """Whether an interrupted save of ``stem`` waits for ``recover``."""
    return _stem_dir(Path(directory), stem).is_dir()


def new_stage(directory: Path, stem: str) -> Path:
    """An empty folder to write the new file set into (same filesystem as the target)."""
    stage = _stem_dir(Path(directory), stem) / f"new-{uuid.uuid4().hex[:12]}"
    stage.mkdir(parents=True)
    return stage


def commit(directory: Path, stem: str, stage: Path, stale: Iterable[str] = ()) -> None:
    """Move every file of ``stage`` into ``directory``; delete the ``stale`` names there
    (e.g. a spatial index that would no longer match). Call under ``locked``."""
    directory = Path(directory)
    stem_dir = _stem_dir(directory, stem)
    names = sorted(p.name for p in stage.iterdir())
    stale = [name for name in stale if name in {stem + ext for ext in SIDECARS}]
    strays = sorted(set(names) - {stem + ext for ext in PARTS})
    if strays:
        raise FileSetError(f"{stage}: holds {strays[0]!r}, not a part of {stem}")
    for name in names:
        _fsync_file(stage / name)
    _fsync_dir(stage)
    journal = {"stage": stage.name, "files": names, "stale": sorted(set(stale) - set(names))}
    tmp = stem_dir / (_JOURNAL + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(journal, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, stem_dir / _JOURNAL)  # the commit point
    _fsync_dir(stem_dir)
    _roll_forward(directory, stem_dir, journal)


def _refuse(journal_path: Path, why: str) -> FileSetError:
    return FileSetError(
        f"{journal_path}: {why}; not followed - nothing was moved or deleted. This journal "
        "was not written by MIRAGE Labeller (or was altered): check the folder "
        f"{journal_path.parent} and remove it by hand")


def _read_journal(journal_path: Path, stem: str) -> dict:
    """The journal, if it is one this module could have written for ``stem``; else
    FileSetError. Checked before anything is touched."""
    try:
        if journal_path.is_symlink() or journal_path.stat().st_size > _MAX_JOURNAL_BYTES:
            raise _refuse(journal_path, "is a link or too large to be a save journal")
        with open(journal_path, encoding="utf-8") as fh:
            journal = json.load(fh)  # written by atomic rename: complete or absent
    except (OSError, ValueError, RecursionError, MemoryError) as exc:
        # UnicodeDecodeError and JSONDecodeError are ValueErrors; deep nesting a RecursionError
        raise _refuse(journal_path, f"cannot be read ({exc.__class__.__name__})") from None
    if not isinstance(journal, dict) or set(journal) - {"stage", "files", "stale"}:
        raise _refuse(journal_path, "is not a save journal")
    stage, files, stale = journal.get("stage"), journal.get("files"), journal.get("stale", [])
    if not isinstance(stage, str) or not _STAGE_NAME.fullmatch(stage):
        raise _refuse(journal_path, f"names the stage {str(stage)[:80]!r}, not one of its own "
                                    "new-<hex> folders")
    for kind, names, allowed in (("file", files, PARTS), ("stale file", stale, SIDECARS)):
        if not isinstance(names, list):
            raise _refuse(journal_path, f"its {kind} list is not a list")
        own = {stem + ext for ext in allowed}
        for name in names:
            if not isinstance(name, str) or name not in own:
                raise _refuse(journal_path, f"names the {kind} {str(name)[:80]!r}, which is not "
                                            f"one of the {kind}s a save of {stem} writes")
    return {"stage": stage, "files": list(files), "stale": list(stale)}


def _check_inside(directory: Path, stem_dir: Path, journal_path: Path, journal: dict) -> None:
    """No link anywhere on the way: the staging folder, the stem's folder, the stage and the
    staged files must be real folders and files inside the label folder."""
    staging = stem_dir.parent
    stage = stem_dir / journal["stage"]
    for folder in (staging, stem_dir, stage):
        if folder.is_symlink():
            raise _refuse(journal_path, f"{folder.name} is a link")
    try:
        real_dir = directory.resolve()
        if stage.exists() and real_dir not in stage.resolve().parents:
            raise _refuse(journal_path, "its stage lies outside the label folder")
    except OSError as exc:
        raise _refuse(journal_path, f"its stage cannot be resolved ({exc.strerror})") from None
    for name in journal["files"]:
        src = stage / name
        if src.is_symlink() or (src.exists() and not src.is_file()):
            raise _refuse(journal_path, f"the staged {name} is not a plain file")
    for name in journal["files"] + journal["stale"]:
        target = directory / name
        if target.is_symlink():
            raise _refuse(journal_path, f"{target} is a link")


def _roll_forward(directory: Path, stem_dir: Path, journal: dict) -> None:
    stage = stem_dir / journal["stage"]
    for name in journal["files"]:
        src = stage / name
        if src.exists():
            try:
                os.replace(src, directory / name)
            except OSError as exc:  # e.g. held open by another program on Windows
                raise FileSetError(
                    f"{directory / name}: cannot be replaced ({exc.strerror or exc}); close any "
                    "program that has it open - the save is kept and completes on the next "
                    "open or save") from None
    for name in journal.get("stale", ()):
        with contextlib.suppress(FileNotFoundError):
            os.remove(directory / name)
    _fsync_dir(directory)
    os.remove(stem_dir / _JOURNAL)
    _fsync_dir(stem_dir)
    shutil.rmtree(stage, ignore_errors=True)
    with contextlib.suppress(OSError):
        stem_dir.rmdir()  # only when empty: another stage may still be in it


def recover(directory: Path, stem: str) -> Optional[str]:
    """Finish or undo an interrupted replacement of ``stem``'s files. Call under ``locked``.

    Returns "rolled forward", "rolled back" or None when there was nothing to do. A journal
    or stage this module did not write raises FileSetError before anything is touched.
    """
    directory = Path(directory)
    stem_dir = _stem_dir(directory, stem)
    if not stem_dir.is_dir():
        return None
    journal_path = stem_dir / _JOURNAL
    if stem_dir.is_symlink() or stem_dir.parent.is_symlink():
        raise _refuse(journal_path, "the staging folder is a link")
    leftovers: List[Path] = [p for p in stem_dir.iterdir() if p.name != _JOURNAL]
    for p in leftovers:
        if p.is_symlink():
            raise _refuse(journal_path, f"its folder holds {p.name!r}, which is a link")
        if not ((_STAGE_NAME.fullmatch(p.name) and p.is_dir()) or p.name == _JOURNAL + ".tmp"):
            raise _refuse(journal_path, f"its folder holds {p.name!r}, which no save writes")
    journal = _read_journal(journal_path, stem) if journal_path.exists() else None
    if journal is not None:
        _check_inside(directory, stem_dir, journal_path, journal)
    if not os.access(stem_dir, os.W_OK):
        raise PendingReadOnlyError(f"{directory}: an interrupted save of {stem} needs "
                                   "finishing, but the folder is read-only")
    outcome = None
    if journal is not None:
        _roll_forward(directory, stem_dir, journal)
        outcome = "rolled forward"
    for path in (list(stem_dir.iterdir()) if stem_dir.is_dir() else []):
        # uncommitted stages and a half-written journal (all checked above: no links)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
        outcome = outcome or "rolled back"
    with contextlib.suppress(OSError):
        stem_dir.rmdir()
    return outcome


def pending_view(directory: Path, stem: str, into: Path) -> Path:
    """Copy ``stem``'s file set as it will be once its interrupted save is finished into the
    folder ``into`` (for reading a folder that cannot be written now): a committed save's
    staged files over the files in place, an uncommitted one's files in place as they are.
    The journal is checked as ``recover`` checks it. Returns the copy's .shp."""
    directory, into = Path(directory), Path(into)
    stem_dir = _stem_dir(directory, stem)
    journal_path = stem_dir / _JOURNAL
    names = {p.name for p in directory.iterdir()
             if p.is_file() and p.name.startswith(stem + ".")}
    sources = {name: directory / name for name in names}
    if journal_path.exists():
        journal = _read_journal(journal_path, stem)
        _check_inside(directory, stem_dir, journal_path, journal)
        stage = stem_dir / journal["stage"]
        for name in journal["stale"]:
            sources.pop(name, None)
        for name in journal["files"]:
            if (stage / name).is_file():
                sources[name] = stage / name
    for name, src in sources.items():
        shutil.copyfile(src, into / name)
    return into / f"{stem}.shp"


def discard(stage: Path) -> None:
    """Throw away a stage that will not be committed (e.g. it failed verification)."""
    shutil.rmtree(stage, ignore_errors=True)
    with contextlib.suppress(OSError):
        stage.parent.rmdir()
