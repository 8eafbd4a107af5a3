"""Crash-safe replacement of a set of files that only make sense together.

A shapefile is .shp + .shx + .dbf (+ .prj, .cpg); one rename cannot swap them all. So the new
set is written to a staging folder beside the target, a journal naming the moves is written
atomically (the commit point), then the files are moved in. ``recover`` finishes a committed
move or discards an uncommitted one, so after a crash at any instant the next open sees the old
set or the new one, never a mix. Everything stays inside the target folder, so every move is a
same-filesystem rename.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Iterable, Iterator, List, Optional

from .errors import InputError

STAGING = ".mirage-staging"
_JOURNAL = "journal.json"
LOCK_TIMEOUT_S = 30.0


class FileSetError(InputError):
    """A file set that cannot be locked, recovered or moved in; the message says why."""


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


def _stem_dir(directory: Path, stem: str) -> Path:
    return directory / STAGING / stem


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
    if write:
        _make_staging(directory)
    elif not staging.is_dir():
        yield
        return
    try:
        fh = open(staging / "lock", "a+b")
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
                                           "MIRAGE session; try again when it has saved")
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

    Returns "rolled forward", "rolled back" or None when there was nothing to do.
    """
    directory = Path(directory)
    stem_dir = _stem_dir(directory, stem)
    if not stem_dir.is_dir():
        return None
    if not os.access(stem_dir, os.W_OK):
        raise FileSetError(f"{directory}: an interrupted save of {stem} needs finishing, but the "
                           "folder is read-only")
    outcome = None
    journal_path = stem_dir / _JOURNAL
    if journal_path.exists():
        with open(journal_path, encoding="utf-8") as fh:
            journal = json.load(fh)  # written by atomic rename: complete or absent
        _roll_forward(directory, stem_dir, journal)
        outcome = "rolled forward"
    leftovers: List[Path] = list(stem_dir.iterdir()) if stem_dir.is_dir() else []
    for path in leftovers:  # uncommitted stages and a half-written journal
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
        outcome = outcome or "rolled back"
    with contextlib.suppress(OSError):
        stem_dir.rmdir()
    return outcome


def discard(stage: Path) -> None:
    """Throw away a stage that will not be committed (e.g. it failed verification)."""
    shutil.rmtree(stage, ignore_errors=True)
    with contextlib.suppress(OSError):
        stage.parent.rmdir()
