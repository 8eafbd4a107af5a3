"""What a labelling session remembers: triage decisions, the interferogram on show, settings.

Saved two ways: inside the QGIS project (restored when the project is reopened) and in a
sidecar ``WORKSPACE/.mirage/state.json`` next to the data (so triage work survives without a
project, and two projects on one workspace agree). Each decision carries its time; merging
keeps the latest one. The MIRAGE label files are never touched by this.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..base.messages import Msg

KEEP = "keep"
DISCARD = "discard"
REASONS = ("decorrelation", "atmosphere", "other")
SIDECAR = Path(".mirage") / "state.json"
VERSION = 1
VIEW_LAYERS = ("phase", "coherence", "hillshade", "slope", "aspect", "curvature", "tri", "twi",
               "dem")


@dataclass(frozen=True)
class Triage:
    decision: Optional[str]  # KEEP, DISCARD or None (undecided)
    reason: Optional[str] = None  # for DISCARD: one of REASONS
    note: str = ""
    when: str = ""  # ISO time of the decision (UTC)

    @staticmethod
    def now() -> str:
        return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


@dataclass
class Settings:
    strict: bool = False
    remember_last: bool = True
    sign_qual: int = 1  # last used, offered for the next label when remember_last
    class_unc: int = 1
    coherence_threshold: float = 0.2
    coherence_mask: bool = False
    views: List[str] = field(default_factory=lambda: ["phase", "coherence", "hillshade", "slope"])
    filter_bt: Optional[int] = None
    filter_traj: Optional[str] = None
    filter_status: Optional[str] = None  # None, "undecided", KEEP, DISCARD, "labelled"
    view_count: int = 4  # linked views shown
    build_overviews: bool = True  # external .ovr for large rasters, made while screening


STATUSES = ("undecided", KEEP, DISCARD, "labelled", "unlabelled")


@dataclass
class WorkspaceState:
    root: str = ""
    files: Optional[List[str]] = None  # a workspace of chosen files rather than a folder
    current: Optional[str] = None  # label stem of the interferogram on show
    triage: Dict[str, Triage] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    # what the user supplied where names and tags said too little: stem -> {master, slave,
    # traj} as yyyymmdd / A|D strings
    overrides: Dict[str, Dict[str, str]] = field(default_factory=dict)
    # step 3: for a ground box ("xmin,ymin,xmax,ymax", metres), which interferograms the
    # expert found the signal in (True) or not (False); kept here, never in the label files
    recurrence: Dict[str, Dict[str, bool]] = field(default_factory=dict)

    @staticmethod
    def recurrence_key(bounds) -> str:
        return ",".join(f"{v:.0f}" for v in bounds)

    def set_recurrence(self, bounds, stem: str, present: Optional[bool]) -> None:
        key = self.recurrence_key(bounds)
        marks = self.recurrence.setdefault(key, {})
        if present is None:
            marks.pop(stem, None)
        else:
            marks[stem] = bool(present)
        if not marks:
            del self.recurrence[key]

    def recurrence_of(self, bounds) -> Dict[str, bool]:
        return dict(self.recurrence.get(self.recurrence_key(bounds), {}))

    def apply_overrides(self, stem: str, meta):
        """``meta`` (IfgMetadata) with what the user supplied for ``stem``."""
        given = self.overrides.get(stem)
        if not given:
            return meta

        def day(s):
            return dt.datetime.strptime(s, "%Y%m%d").date() if s else None

        return meta.with_values(master=day(given.get("master")), slave=day(given.get("slave")),
                                traj=given.get("traj") or None)

    def matches(self, stem: str, bt: Optional[int], traj: Optional[str], n_labels: int) -> bool:
        """Whether an interferogram passes the list filters of the settings."""
        s = self.settings
        if s.filter_bt is not None and bt != s.filter_bt:
            return False
        if s.filter_traj is not None and traj != s.filter_traj:
            return False
        status = s.filter_status
        if status is None:
            return True
        if status == "labelled":
            return n_labels > 0
        if status == "unlabelled":
            return n_labels == 0
        decision = self.decision(stem)
        return (decision or "undecided") == status

    def decide(self, stem: str, decision: Optional[str], reason: Optional[str] = None,
               note: str = "") -> Triage:
        if decision not in (KEEP, DISCARD, None):
            raise ValueError(f"triage decision must be keep, discard or undecided: {decision!r}")
        if decision == DISCARD and reason not in REASONS:
            raise ValueError(f"a discarded interferogram needs a reason among {REASONS}")
        t = Triage(decision, reason if decision == DISCARD else None, note, Triage.now())
        self.triage[stem] = t
        return t

    def decision(self, stem: str) -> Optional[str]:
        t = self.triage.get(stem)
        return t.decision if t else None

    # ----------------------------------------------------------- serialisation
    def to_json(self) -> str:
        data = {"version": VERSION, "root": self.root, "files": self.files,
                "current": self.current,
                "triage": {k: asdict(v) for k, v in sorted(self.triage.items())},
                "settings": asdict(self.settings), "overrides": self.overrides,
                "recurrence": self.recurrence}
        return json.dumps(data, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Tuple["WorkspaceState", List[str]]:
        """Tolerant: what cannot be read falls back to defaults, with a message each.

        The text may come from a file anyone can edit (or a disk that garbled it), so every
        value is checked for the type and range the session relies on: a wrong one met later
        (a number where a time is compared, a list where a name is shown) would stop the
        dock in the middle of opening the workspace."""
        warnings: List[str] = []
        try:
            data = json.loads(text) if text else {}
        except (ValueError, RecursionError) as exc:
            return cls(), [Msg("not valid JSON ({why})", why=str(exc)[:200])]
        if not isinstance(data, dict):
            return cls(), [Msg("not a JSON object but {kind}", kind=_kind(data))]
        state = cls()
        root, current, files = data.get("root"), data.get("current"), data.get("files")
        if isinstance(root, str):
            state.root = root
        elif root is not None:
            warnings.append(Msg("{name} is {kind}, not a text; ignored", name="root",
                                kind=_kind(root)))
        if current is None or isinstance(current, str):
            state.current = current
        else:
            warnings.append(Msg("{name} is {kind}, not a text; ignored", name="current",
                                kind=_kind(current)))
        if isinstance(files, list) and all(isinstance(f, str) for f in files):
            state.files = files
        elif files is not None:
            warnings.append(Msg("{name} is not a list of file names; ignored", name="files"))
        for stem, given in _entries(data, "overrides", warnings):
            if isinstance(given, dict) and _valid_override(given):
                state.overrides[stem] = {k: given[k] for k in _OVERRIDE_KEYS if given.get(k)}
            else:
                warnings.append(Msg("dates or orbit given for {stem} could not be read; "
                                    "ignored", stem=stem))
        for key, marks in _entries(data, "recurrence", warnings):
            if isinstance(marks, dict) and all(isinstance(v, bool) for v in marks.values()):
                if marks:
                    state.recurrence[key] = {str(k): v for k, v in marks.items()}
            else:
                warnings.append(Msg("recurrence marks of box {key} could not be read",
                                    key=key))
        for stem, raw in _entries(data, "triage", warnings):
            triage = _triage(raw)
            if triage is None:
                warnings.append(Msg("triage of {stem} could not be read; left undecided",
                                    stem=stem))
            else:
                state.triage[stem] = triage
        defaults = Settings()
        kwargs = {}
        for name, value in _entries(data, "settings", warnings):
            if name not in _SETTING_NAMES:
                continue  # a setting of a newer version: nothing to check it against
            if _valid_setting(name, value, getattr(defaults, name)):
                kwargs[name] = float(value) if isinstance(getattr(defaults, name), float) \
                    else value
            else:
                warnings.append(Msg("setting {name}={value!r} ignored", name=name,
                                    value=_short(value)))
        state.settings = Settings(**{**asdict(defaults), **kwargs})
        return state, warnings

    def merge(self, other: "WorkspaceState") -> None:
        """Take ``other``'s decisions where they are newer than ours (or we have none)."""
        for stem, t in other.triage.items():
            mine = self.triage.get(stem)
            if mine is None or (t.when or "") > (mine.when or ""):
                self.triage[stem] = t
        for stem, given in other.overrides.items():
            self.overrides.setdefault(stem, given)
        for key, marks in other.recurrence.items():
            mine = self.recurrence.setdefault(key, {})
            for stem, present in marks.items():
                mine.setdefault(stem, present)


# sidecars that could not be read and could not be set aside either: never overwritten
_HELD: set = set()


def write_sidecar(root: Path, state: WorkspaceState) -> Optional[str]:
    """Atomically write the sidecar; returns an error message instead of raising (a read-only
    published dataset must still be reviewable: the project keeps the state then)."""
    path = Path(root) / SIDECAR
    if str(path) in _HELD:
        return Msg("{path}: not saved over: it could not be read and could not be set aside; "
                   "move it away to save the workspace state there", path=path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(state.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        return f"{path}: cannot save the workspace state ({exc.strerror or exc})"
    return None


def read_sidecar(root: Path) -> Tuple[Optional[WorkspaceState], List[str]]:
    """The sidecar's state (None when there is none or nothing of it could be read) and at most
    one warning, naming the file.

    A sidecar that cannot be read whole (not UTF-8, not JSON, values of the wrong kind) is
    renamed to ``state.json.damaged-<time>`` before the session writes its own: it is never
    deleted nor saved over, since the decisions in it may be worth recovering by hand. What
    could be read of it is still used."""
    path = Path(root) / SIDECAR
    _HELD.discard(str(path))  # read again: held only if it still cannot be read
    if not path.is_file():
        return None, []
    state: Optional[WorkspaceState] = None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems = [Msg("cannot be read ({why})", why=exc.strerror or str(exc))]
    else:
        try:
            text = raw.decode("utf-8-sig")  # a byte-order mark from a Windows editor is fine
        except UnicodeDecodeError as exc:
            problems = [Msg("not UTF-8 text (byte {at})", at=exc.start)]
        else:
            state, problems = WorkspaceState.from_json(text)
            if state is not None and not text.strip():
                state = None  # an empty file: nothing to read, nothing lost
            elif problems and not state.triage and state.to_json() == WorkspaceState().to_json():
                state = None  # nothing of it could be read
    if not problems:
        return state, []
    first = problems[0] if len(problems) == 1 else Msg(
        "{first} (and {n} more problems)", first=problems[0], n=len(problems) - 1)
    aside = _set_aside(path)
    if aside is None:
        _HELD.add(str(path))
        action = Msg("it could not be set aside, so it is left as it is and not saved over")
    elif state is None:
        action = Msg("set aside as {name}; the session starts without it", name=aside.name)
    else:
        action = Msg("set aside as {name}; what could be read of it is used", name=aside.name)
    return state, [Msg("{path}: {problem}; {action}", path=path, problem=first,
                       action=action)]


def _set_aside(path: Path) -> Optional[Path]:
    """Rename ``path`` to ``<name>.damaged-<UTC time>`` (a free name: nothing is replaced)."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for n in range(100):
        target = path.with_name(f"{path.name}.damaged-{stamp}" + (f"-{n}" if n else ""))
        if target.exists():
            continue
        try:
            os.rename(path, target)
        except OSError:
            return None
        return target
    return None


# ------------------------------------------------------------------ checks of read values
_OVERRIDE_KEYS = ("master", "slave", "traj")
_SETTING_NAMES = {f.name for f in fields(Settings)}


def _kind(value) -> str:
    """What a JSON value is, in words (for a warning about a value of the wrong kind)."""
    kinds = {dict: Msg("an object"), list: Msg("a list"), str: Msg("a text"),
             bool: Msg("true or false"), type(None): Msg("null")}
    return kinds.get(type(value), Msg("a number"))


def _short(value):
    text = repr(value)
    return value if len(text) <= 60 else text[:57] + "..."


def _entries(data: dict, name: str, warnings: List[str]):
    """The (key, value) pairs of the object ``data[name]``; a warning when it is not one."""
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, dict):
        warnings.append(Msg("{name} is {kind}, not an object; ignored", name=name,
                            kind=_kind(value)))
        return []
    return [(str(k), v) for k, v in value.items()]


def _valid_override(given: dict) -> bool:
    for key, value in given.items():
        if key not in _OVERRIDE_KEYS or not (value is None or isinstance(value, str)):
            return False
        if value and key == "traj" and value not in ("A", "D"):
            return False
        if value and key != "traj":
            try:
                dt.datetime.strptime(value, "%Y%m%d")
            except ValueError:
                return False
    return True


def _triage(raw) -> Optional[Triage]:
    if not isinstance(raw, dict):
        return None
    decision, reason = raw.get("decision"), raw.get("reason")
    note, when = raw.get("note", ""), raw.get("when", "")
    if decision not in (KEEP, DISCARD, None) or not (reason is None or reason in REASONS):
        return None
    if not isinstance(note, str) or not isinstance(when, str):
        return None
    return Triage(decision, reason if decision == DISCARD else None, note, when)


def _valid_setting(name: str, value, default) -> bool:
    if name == "views":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if name == "filter_bt":
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    if name == "filter_traj":
        return value is None or value in ("A", "D")
    if name == "filter_status":
        return value is None or value in STATUSES
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        return value in (1, 2) if name in ("sign_qual", "class_unc") else value >= 0
    if isinstance(default, float):
        return (isinstance(value, (int, float)) and not isinstance(value, bool)
                and math.isfinite(value) and 0 <= value <= 1)
    return isinstance(value, type(default))
