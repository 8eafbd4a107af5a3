"""Who else has an interferogram open: a small presence file per labelling session.

Two people on one shared label folder do not corrupt each other's files (the store locks and
merges), but they do duplicate work and edit the same boxes. Each dock session writes
``WORKSPACE/.mirage/presence/<session>.json`` (user, host, process, interferogram, since,
last seen) when it shows an interferogram and refreshes it every ``REFRESH_S``; the others read
the folder and say who else is on the same interferogram. A file not refreshed for
``STALE_AFTER_S`` (a crashed QGIS, a laptop that went to sleep) or whose process is gone on
this host is ignored, and removed by the next session that notices. Nothing here is a lock:
presence informs, the store's lock protects. It lives beside the workspace state, not in the
label folder, which only saves write into.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Union

from ..base.errors import process_alive

PRESENCE_DIR = Path(".mirage") / "presence"
REFRESH_S = 60
STALE_AFTER_S = 5 * 60


@dataclass(frozen=True)
class Presence:
    session: str
    user: str
    host: str
    pid: int
    stem: str
    since: dt.datetime
    seen: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "someone"


def new_session_id() -> str:
    return f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _folder(root: Union[str, Path]) -> Path:
    return Path(root) / PRESENCE_DIR


def announce(root: Union[str, Path], session: str, stem: Optional[str],
             since: Optional[dt.datetime] = None) -> bool:
    """Write (or refresh) this session's presence on ``stem``; ``stem`` None withdraws it.
    False when the folder cannot take it (read-only): presence is a courtesy, not a need."""
    path = _folder(root) / f"{session}.json"
    if stem is None:
        try:
            path.unlink()
        except OSError:
            pass
        return True
    now = _now()
    record = {"user": _user(), "host": socket.gethostname(), "pid": os.getpid(), "stem": stem,
              "since": (since or now).isoformat(), "seen": now.isoformat()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return False
    return True


def _alive_here(host: str, pid: int) -> bool:
    if host != socket.gethostname():
        return True  # another machine: only the age tells
    return process_alive(pid)


def _parse(path: Path) -> Optional[Presence]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Presence(session=path.stem, user=str(data["user"])[:64],
                        host=str(data["host"])[:64], pid=int(data["pid"]),
                        stem=str(data["stem"]),
                        since=dt.datetime.fromisoformat(data["since"]),
                        seen=dt.datetime.fromisoformat(data["seen"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def others(root: Union[str, Path], stem: str, session: str,
           now: Optional[dt.datetime] = None) -> List[Presence]:
    """The other live sessions on ``stem``, earliest first."""
    folder = _folder(root)
    if not folder.is_dir() or folder.is_symlink():
        return []
    now = now or _now()
    found = []
    for path in sorted(folder.glob("*.json")):
        if path.stem == session or path.is_symlink():
            continue
        p = _parse(path)
        if p is None or p.seen.tzinfo is None or p.since.tzinfo is None:
            continue
        stale = (now - p.seen).total_seconds() > STALE_AFTER_S or not _alive_here(p.host, p.pid)
        if stale:
            try:
                path.unlink()
            except OSError:
                pass
            continue
        if p.stem == stem:
            found.append(p)
    return sorted(found, key=lambda p: p.since)
