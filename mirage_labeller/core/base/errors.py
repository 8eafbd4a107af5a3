"""One family of errors for what users hand the plugin: the file, the problem, what to do.

Core raises a ``MirageError`` (or one of its kinds) for bad input and for requests that cannot
be met; it never lets a raw GDAL/fiona/zlib/OS exception reach a front end. Each front end turns
the family into its own form: the CLI prints one line ``error: FILE: PROBLEM; WHAT TO DO`` and
exits 1, Processing raises ``QgsProcessingException`` with the same text, the GUI puts it in the
message bar. The message is built once here so the three agree.

``MirageError(text)`` takes a finished sentence that already names the file (most call sites
build one); ``MirageError.at(path, problem, action)`` composes it. ``str()`` of the error is the
English line; ``message`` keeps a ``Msg`` when one was given, so the GUI can translate it.
"""
from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import Optional, Union

PathLike = Union[str, os.PathLike, None]


class MirageError(Exception):
    """Bad input or an impossible request; ``str()`` is one line naming the file."""

    def __init__(self, message: str, *, path: PathLike = None, problem: Optional[str] = None,
                 action: Optional[str] = None):
        super().__init__(message)
        self.path = None if path is None else str(path)
        self.problem = problem if problem is not None else message
        self.action = action

    @classmethod
    def at(cls, path: PathLike, problem: str, action: Optional[str] = None) -> "MirageError":
        """``PATH: PROBLEM; ACTION`` (the path left out when there is none)."""
        text = f"{path}: {problem}" if path is not None else problem
        if action:
            text = f"{text}; {action}"
        return cls(text, path=path, problem=problem, action=action)

    @property
    def message(self) -> str:
        """The sentence as given (a ``Msg`` keeps its template for translation)."""
        return self.args[0] if self.args else ""


class InputError(MirageError):
    """An input file or folder that cannot be used as it is."""


class OutputError(MirageError):
    """An output that cannot be written where asked (an input, inside the labels, a full disk)."""


_GDAL_PREFIX = re.compile(r"^(CPLE_\w+|ERROR \d+):?\s*")


def clean_library_text(exc: BaseException) -> str:
    """An exception's text without library internals (``CPLE_AppDefinedError``, error codes,
    the file's path repeated), short enough for one line."""
    text = str(exc).strip() or type(exc).__name__
    text = _GDAL_PREFIX.sub("", text)
    text = " ".join(text.split())
    return text[:300] + ("..." if len(text) > 300 else "")


_OS_ADVICE = {
    errno.ENOSPC: "free some space or choose another place",
    errno.EACCES: "check the permissions or choose another place",
    errno.EROFS: "the disk is read-only; choose another place",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENAMETOOLONG: "use a shorter path",
    errno.EEXIST: "it already exists",
}
if hasattr(errno, "EDQUOT"):
    _OS_ADVICE[errno.EDQUOT] = "your disk quota is used up; free some space"


def from_os_error(exc: OSError, path: PathLike = None, doing: str = "",
                  kind=None) -> MirageError:
    """A ``MirageError`` for an ``OSError``: the path named (the argument the user gave rather
    than a symlink's target or a temporary name), the system's reason and what to do."""
    kind = kind or (OutputError if exc.errno in (errno.ENOSPC, errno.EROFS) else MirageError)
    where = path if path is not None else (exc.filename or None)
    reason = exc.strerror or clean_library_text(exc)
    problem = f"{doing} failed: {reason}" if doing else reason
    return kind.at(where, problem, _OS_ADVICE.get(exc.errno))


def process_alive(pid) -> bool:
    """Whether a process of this machine with this id runs (a pid that is not a plausible
    number is taken as gone). On Windows, where signal 0 is no probe, every pid counts as
    alive: only age then tells a stale file."""
    text = str(pid)
    if not text.isdigit() or not 0 < int(text) < 2 ** 31:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        return True
    try:
        os.kill(int(text), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True
    return True


def short_path(path: PathLike, limit: int = 240) -> str:
    """A path short enough for a message line (very long paths keep their start and end)."""
    text = str(path)
    if len(text) <= limit:
        return text
    keep = (limit - 5) // 2
    return f"{text[:keep]} ... {text[-keep:]}"


def is_inside(path: PathLike, folder: PathLike) -> bool:
    """Whether ``path`` resolves inside ``folder`` (symlinks and ``..`` followed)."""
    try:
        p = Path(path).resolve()
        f = Path(folder).resolve()
    except (OSError, RuntimeError):
        return False
    return p == f or f in p.parents
