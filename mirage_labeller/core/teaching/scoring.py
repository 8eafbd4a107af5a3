"""'Check my work': a student's labels against an exercise's key, with the feedback an
instructor would give.

Boxes are matched per interferogram with the agreement engine (optimal one-to-one IoU).
The default threshold is IoU 0.2, the low end of what experts reach among themselves on
these signals (about 0.2-0.4): a student who found the signal but drew it tighter or wider
than the key still found it; a box that merely touches the signal does not.

Kinds of mistake: ``missed`` (a key label without a student box), ``false_alarm`` (a student
box without a key label), ``artefact_as_movement`` (a student box on a key artefact, called
a movement), ``confusion`` (the right place, another class).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from ..base.messages import Msg
from ..base.outputs import output_file
from ..dataset.agreement import match_boxes
from ..dataset.processes import LabelTable, group_labels
from ..dataset.review import read_labels
from ..labels.classes import CLASSES

DEFAULT_MIN_IOU = 0.2
FLAT_SLOPE_DEG = 5.0
MISSED, FALSE_ALARM, ARTEFACT, CONFUSION = ("missed", "false_alarm", "artefact_as_movement",
                                            "confusion")
KINDS = (MISSED, FALSE_ALARM, ARTEFACT, CONFUSION)
SCOREBOARD_COLUMNS = ("student", "found", "missed", "false_alarms", "artefacts_as_movements",
                      "confusions", "precision", "recall", "f1")


@dataclass
class Mistake:
    kind: str
    stem: str
    student_id: Optional[int]
    reference_id: Optional[int]
    student_class: str
    reference_class: str
    bounds: Tuple[float, float, float, float]
    feedback: str = ""


@dataclass
class Score:
    found: int  # key labels matched, class right or wrong
    reference: int
    student: int
    mistakes: List[Mistake] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)  # feedback not tied to one mistake
    file_notes: List[str] = field(default_factory=list)  # what reading the files assumed

    def count(self, kind: str) -> int:
        return sum(m.kind == kind for m in self.mistakes)

    @property
    def precision(self) -> float:
        right = self.student - self.count(FALSE_ALARM) - self.count(ARTEFACT)
        return right / self.student if self.student else float("nan")

    @property
    def recall(self) -> float:
        return self.found / self.reference if self.reference else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r > 0 else 0.0

    def summary(self) -> str:
        return (f"found {self.found} of {self.reference} signals; {self.count(MISSED)} missed, "
                f"{self.count(FALSE_ALARM)} false alarm(s), {self.count(ARTEFACT)} artefact(s) "
                f"called movements, {self.count(CONFUSION)} class confusion(s)")


def _slope_median(slope_path: Optional[str], bounds, crs: str) -> Optional[float]:
    if not slope_path:
        return None
    from ..terrain.check import _inside

    values = _inside(slope_path, [bounds], boxes_crs=crs)
    values = values[np.isfinite(values) & (values > -9999)]
    return float(np.median(values)) if values.size else None


def key_crs(reference_dir: Union[str, Path]) -> Optional[str]:
    """The CRS of the key's first label file ("EPSG:n" or WKT): what scoring compares in."""
    from ..labels.store import LabelFileError, read_label_file

    for shp in sorted(Path(reference_dir).glob("*.shp")):
        try:
            found = read_label_file(shp)
        except LabelFileError:
            continue
        return f"EPSG:{found.epsg}" if found.epsg else found.crs_wkt
    return None


def score_labels(student_dir: Union[str, Path], reference_dir: Union[str, Path],
                 min_iou: float = DEFAULT_MIN_IOU, slope_path: Optional[str] = None,
                 crs: Optional[str] = None) -> Score:
    """Score one student; ``slope_path`` (the workspace's slope.tif) adds terrain feedback.
    Both label sets are compared in ``crs`` (by default the key's own CRS; files in another
    CRS are converted), so a key written in UTM still matches a student whose files ended
    up in another CRS; the mistakes' bounds are in ``crs`` too."""
    crs = crs or key_crs(reference_dir)
    warnings: List[str] = []
    student_rows, s_problems = read_labels(student_dir, crs=crs, strict=True,
                                           warnings=warnings)
    ref_rows, r_problems = read_labels(reference_dir, crs=crs, strict=True)
    by_stem_s: Dict[str, list] = {}
    by_stem_r: Dict[str, list] = {}
    for stem, lab in student_rows:
        by_stem_s.setdefault(stem, []).append(lab)
    for stem, lab in ref_rows:
        by_stem_r.setdefault(stem, []).append(lab)
    score = Score(found=0, reference=len(ref_rows), student=len(student_rows))
    score.notes += [p if ", converted to " in p else Msg("not read: {problem}", problem=p)
                    for p in s_problems + r_problems]
    score.file_notes = warnings  # what the reader assumed in the student's files
    for stem in sorted(set(by_stem_s) | set(by_stem_r)):
        s_labs, r_labs = by_stem_s.get(stem, []), by_stem_r.get(stem, [])
        a = np.array([lab.bounds for lab in r_labs], float).reshape(-1, 4)
        b = np.array([lab.bounds for lab in s_labs], float).reshape(-1, 4)
        pairs = match_boxes(a, b, min_iou)
        matched_r = {i for i, _, _ in pairs}
        matched_s = {j for _, j, _ in pairs}
        for i, j, _ in pairs:
            ref, mine = r_labs[i], s_labs[j]
            if ref.cls == "AR" and mine.cls != "AR":
                score.mistakes.append(Mistake(
                    ARTEFACT, stem, mine.id, ref.id, mine.cls, ref.cls, mine.bounds,
                    Msg("label {id} ({cls}) is an artefact in the key: fringes without a "
                        "landform under them. Check step 2: does the terrain agree?",
                        id=mine.id, cls=mine.cls)))
                continue
            score.found += 1
            if ref.cls != mine.cls:
                info = CLASSES.get(ref.cls)
                if info and info.shape != "-":
                    text = Msg("label {id}: right place, but the key says {key} ({name}: "
                               "{shape}, {texture} fringes, usually {area:g} km²), not {mine}",
                               id=mine.id, key=ref.cls, name=info.name, shape=info.shape,
                               texture=info.texture, area=info.mean_area_km2, mine=mine.cls)
                else:
                    text = Msg("label {id}: right place, but the key says {key}, not {mine}",
                               id=mine.id, key=ref.cls, mine=mine.cls)
                score.mistakes.append(Mistake(CONFUSION, stem, mine.id, ref.id, mine.cls,
                                              ref.cls, mine.bounds, text))
        for i, ref in enumerate(r_labs):
            if i not in matched_r:
                score.mistakes.append(Mistake(
                    MISSED, stem, None, ref.id, "", ref.cls, ref.bounds,
                    Msg("a {cls} signal was missed in {ifg} {traj} (Bt {bt} d)", cls=ref.cls,
                        ifg=ref.ifg, traj=ref.traj, bt=ref.bt)))
        for j, mine in enumerate(s_labs):
            if j in matched_s:
                continue
            slope = _slope_median(slope_path, mine.bounds, crs)
            if slope is not None and slope < FLAT_SLOPE_DEG:
                text = Msg("label {id} ({cls}) matches no signal of the key; it sits on flat "
                           "terrain (median slope {slope:.1f}°): could it be atmosphere?",
                           id=mine.id, cls=mine.cls, slope=slope)
            else:
                text = Msg("label {id} ({cls}) matches no signal of the key", id=mine.id,
                           cls=mine.cls)
            score.mistakes.append(Mistake(FALSE_ALARM, stem, mine.id, None, mine.cls, "",
                                          mine.bounds, text))
    score.notes += _recurrence_notes(student_rows, ref_rows)
    return score


def _recurrence_notes(student_rows, ref_rows) -> List[str]:
    """Student labels seen in one interferogram only, where the key has them in several."""
    if not student_rows:
        return []
    student = LabelTable.from_rows(student_rows)
    ref = LabelTable.from_rows(ref_rows) if ref_rows else None
    ref_counts = []
    if ref is not None:
        for p in group_labels(ref):
            ref_counts.append((p.envelope, p.n_labels))
    notes = []
    for p in group_labels(student):
        if p.n_labels != 1:
            continue
        k = int(p.members[0])
        x0, y0, x1, y1 = student.bounds[k]
        seen = max((n for (a, b, c, d), n in ref_counts
                    if a < x1 and c > x0 and b < y1 and d > y0), default=0)
        if seen > 1:
            notes.append(Msg("label {id} ({cls}) in {stem} is seen in only one "
                             "interferogram, but the key finds it in {seen}: step 3 "
                             "(recurrence) would have confirmed it", id=int(student.id[k]),
                             cls=str(student.cls[k]), stem=str(student.stem[k]), seen=seen))
    return notes


def write_scoreboard(scores: Dict[str, Score], path: Union[str, Path]) -> Path:
    """The class-wide table a teacher reads, one row per student."""
    with output_file(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=SCOREBOARD_COLUMNS)
        writer.writeheader()
        for name, s in sorted(scores.items()):
            writer.writerow({"student": name, "found": s.found, "missed": s.count(MISSED),
                             "false_alarms": s.count(FALSE_ALARM),
                             "artefacts_as_movements": s.count(ARTEFACT),
                             "confusions": s.count(CONFUSION),
                             "precision": f"{s.precision:.3f}", "recall": f"{s.recall:.3f}",
                             "f1": f"{s.f1:.3f}"})
    return Path(path)


def score_class(students: Sequence[Tuple[str, Union[str, Path]]], reference_dir,
                min_iou: float = DEFAULT_MIN_IOU, slope_path: Optional[str] = None,
                crs: Optional[str] = None) -> Dict[str, Score]:
    names = [name for name, _ in students]
    doubles = sorted({n for n in names if names.count(n) > 1})
    if doubles:
        raise ValueError(f"two students share the name {doubles[0]!r}: give each a folder of "
                         "their own name")
    return {name: score_labels(folder, reference_dir, min_iou, slope_path, crs)
            for name, folder in students}
