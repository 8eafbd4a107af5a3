"""Reviewing someone else's labels: a queue to step through, a log of every decision, and
fixes applied only on request.

The log is an append-only CSV beside the label folder (``<folder>.review.csv``), one line per
decision with reviewer and time; the latest decision on a label wins. Reviewing never writes
to the label files: ``apply_decisions`` does, through the label store (atomic saves), after a
backup of every file it changes.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

from ..base import crs as crsmod
from ..base.messages import Msg
from ..labels.classes import CLASSES
from ..labels.schema import Label
from ..labels.store import UNCHANGED, LabelFileError, LabelStore, read_label_file

ACCEPT, REJECT, CHANGE = "accept", "reject", "change"
DECISIONS = (ACCEPT, REJECT, CHANGE)
FILTERS = ("all", "with findings", "Sign_Qual 1", "Sign_Qual 2", "Class_Unc 2",
           "not reviewed") + tuple(f"class {c}" for c in CLASSES)


@dataclass
class Decision:
    stem: str
    label_id: int
    decision: str
    cls: str = ""  # the new values of a "change" (empty: unchanged)
    sign_qual: str = ""
    class_unc: str = ""
    comment: str = ""
    reviewer: str = ""
    time: str = ""
    # the label as it was reviewed (class|Sign_Qual|Class_Unc|xmin,ymin,xmax,ymax): a decision
    # is not applied to a label that has changed since, or to a new label under an old Id
    seen: str = ""

    def key(self) -> Tuple[str, int]:
        return (self.stem, self.label_id)


def snapshot(label: Label) -> str:
    return (f"{label.cls}|{label.sign_qual}|{label.class_unc}|"
            + ",".join(f"{v:.3f}" for v in label.bounds))


def _check_values(decision: "Decision") -> None:
    if decision.decision not in DECISIONS:
        raise ValueError(f"a review decision is one of {', '.join(DECISIONS)}, "
                         f"not {decision.decision!r}")
    if decision.decision == CHANGE:
        if decision.cls and decision.cls not in CLASSES:
            raise ValueError(f"class {decision.cls!r} is not a MIRAGE class")
        for name in ("sign_qual", "class_unc"):
            if str(getattr(decision, name)) not in ("", "1", "2"):
                raise ValueError(f"{name} must be 1 or 2, not {getattr(decision, name)!r}")


COLUMNS = tuple(f.name for f in fields(Decision))


def review_log_path(label_dir: Union[str, Path]) -> Path:
    label_dir = Path(label_dir)
    return label_dir.parent / f"{label_dir.name}.review.csv"


class ReviewLog:
    def __init__(self, path: Union[str, Path]):
        self.path = Path(path)

    def record(self, decision: Decision) -> Decision:
        """Append one decision (time filled in now, UTC) and flush it to disk."""
        _check_values(decision)
        if not decision.reviewer.strip():
            raise ValueError("say who reviews: a reviewer name is kept with each decision")
        if not decision.time:
            decision.time = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        new = not self.path.exists() or self.path.stat().st_size == 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        unterminated = False
        if not new:
            with open(self.path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                unterminated = fh.read(1) not in (b"\n", b"\r")
        with open(self.path, "a", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            if new:
                writer.writeheader()
            elif unterminated:  # an editor dropped the last newline: keep rows apart
                fh.write("\r\n")
            writer.writerow({k: str(v) for k, v in asdict(decision).items()})
            fh.flush()
            os.fsync(fh.fileno())
        return decision

    def read(self) -> Tuple[List[Decision], List[str]]:
        """Every decision in order, and what could not be read (line by line)."""
        if not self.path.exists():
            return [], []
        out, problems = [], []
        with open(self.path, newline="", encoding="utf-8", errors="replace") as fh:
            for n, row in enumerate(csv.DictReader(fh), 2):
                try:
                    if None in row:  # more fields than columns: two rows run together
                        raise ValueError("extra fields")
                    d = Decision(**{k: row.get(k) or "" for k in COLUMNS})
                    d.label_id = int(d.label_id)
                    _check_values(d)
                    out.append(d)
                except (TypeError, ValueError) as exc:
                    problems.append(f"{self.path.name}, line {n}: not a review decision "
                                    f"({exc})")
        return out, problems

    def latest(self) -> Dict[Tuple[str, int], Decision]:
        decisions, _ = self.read()
        return {d.key(): d for d in decisions}


def read_labels(label_dir: Union[str, Path], crs: Optional[str] = None, strict: bool = False,
                warnings: Optional[List[str]] = None
                ) -> Tuple[List[Tuple[str, Label]], List[str]]:
    """Every readable label, read-only (no recovery, no lock): (stem, label) pairs. With
    ``crs`` ("EPSG:32632"), files in another CRS have their boxes converted into it.
    ``strict``: a file that cannot be read whole raises LabelFileError (see
    ``recurrence.unreadable_error``) instead of being left out with a problem; ``warnings``
    collects what the reader normalised or assumed in the files it read."""
    rows, problems, unreadable = [], [], []
    for shp in sorted(Path(label_dir).glob("*.shp")):
        try:
            label_set = read_label_file(shp)
        except LabelFileError as exc:
            problems.append(str(exc))
            unreadable.append(str(exc))
            continue
        if warnings is not None:
            warnings += label_set.warnings
        labels = label_set.labels
        here = label_set.epsg or label_set.crs_wkt
        if crs is not None and here is not None and labels and not crsmod.same(here, crs):
            try:
                labels = [replace(lab, **dict(zip(("xmin", "ymin", "xmax", "ymax"),
                                                  crsmod.convert_bounds(lab.bounds, here, crs))))
                          for lab in labels]
            except crsmod.CrsError as exc:
                problems.append(f"{shp}: not converted ({exc})")
                unreadable.append(f"{shp}: its labels cannot be converted to {crs} ({exc})")
                continue
            problems.append(Msg("{name}: labels in {here}, converted to {crs}", name=shp.name,
                                here=crsmod.describe(here), crs=crsmod.describe(crs)))
        rows += [(shp.stem, lab) for lab in labels]
    if strict and unreadable:
        from .processes import unreadable_error

        raise unreadable_error(unreadable)
    return rows, problems


def review_queue(rows: Sequence[Tuple[str, Label]], which: str = "all",
                 findings: Iterable = (), reviewed: Iterable[Tuple[str, int]] = ()
                 ) -> List[Tuple[str, Label]]:
    """The labels to step through, in file then Id order. ``findings`` (core.audit Findings)
    serve "with findings"; ``reviewed`` (keys) serves "not reviewed"."""
    flagged = {(Path(f.file).stem, f.label_id) for f in findings if f.label_id is not None}
    done = set(reviewed)
    keep = {
        "all": lambda s, lab: True,
        "with findings": lambda s, lab: (s, lab.id) in flagged,
        "Sign_Qual 1": lambda s, lab: lab.sign_qual == 1,
        "Sign_Qual 2": lambda s, lab: lab.sign_qual == 2,
        "Class_Unc 2": lambda s, lab: lab.class_unc == 2,
        "not reviewed": lambda s, lab: (s, lab.id) not in done,
    }.get(which)
    if keep is None and which.startswith("class "):
        code = which.split()[1]
        keep = (lambda s, lab: lab.cls == code)  # noqa: E731
    if keep is None:
        raise ValueError(f"unknown review filter {which!r}; one of {', '.join(FILTERS)}")
    return sorted(((s, lab) for s, lab in rows if keep(s, lab)), key=lambda r: (r[0], r[1].id))


@dataclass
class ApplyResult:
    changed_files: List[str]
    removed: int
    modified: int
    backups: List[Path]
    problems: List[str]


def apply_decisions(label_dir: Union[str, Path], log: ReviewLog) -> ApplyResult:
    """Write the latest decision of every reviewed label into the label files: rejected
    labels are removed, changed ones get their new values; each changed file is backed up
    first (``.mirage-backup/``) and saved atomically by the label store. Each file is read,
    backed up and written under one hold of the folder lock, so a label another session saves
    meanwhile is either in what is read or waits until the decisions are in."""
    store = LabelStore(label_dir)
    latest = log.latest()
    by_stem: Dict[str, Dict[int, Decision]] = {}
    for (stem, label_id), d in latest.items():
        if d.decision != ACCEPT:
            by_stem.setdefault(stem, {})[label_id] = d
    result = ApplyResult([], 0, 0, [], [])
    for stem, decisions in sorted(by_stem.items()):
        counts = {"removed": 0, "modified": 0}
        problems: List[str] = []

        def change(current, decisions=decisions, counts=counts, problems=problems, stem=stem):
            new: List[Label] = []
            for lab in current:
                d = decisions.get(lab.id)
                if d is not None and d.seen and d.seen != snapshot(lab):
                    problems.append(
                        f"{store.path(stem).name}: label {lab.id} changed since it was "
                        f"reviewed ({d.seen} then, {snapshot(lab)} now); the decision is not "
                        "applied")
                    d = None
                if d is None:
                    new.append(lab)
                elif d.decision == REJECT:
                    counts["removed"] += 1
                else:
                    changes = {}
                    if d.cls:
                        changes["cls"] = d.cls
                    if d.sign_qual:
                        changes["sign_qual"] = int(d.sign_qual)
                    if d.class_unc:
                        changes["class_unc"] = int(d.class_unc)
                    updated = replace(lab, **changes)
                    counts["modified"] += updated != lab
                    new.append(updated)
            for label_id in sorted(set(decisions) - {lab.id for lab in current}):
                problems.append(f"{store.path(stem).name}: label {label_id} was reviewed but "
                                "is no longer in the file; its decision is not applied")
            return new if counts["removed"] or counts["modified"] else UNCHANGED

        try:
            saved = store.modify(stem, change, backup=True)
        except (LabelFileError, OSError) as exc:
            result.problems += problems
            result.problems.append(f"{store.path(stem)}: not changed ({exc})")
            continue
        result.problems += problems
        if saved.backup is None:
            continue
        result.backups.append(saved.backup)
        result.changed_files.append(store.path(stem).name)
        result.removed += counts["removed"]
        result.modified += counts["modified"]
    return result


def summary(decisions: Iterable[Decision]) -> Dict[str, int]:
    out = {k: 0 for k in DECISIONS}
    for d in decisions:
        out[d.decision] += 1
    return out
