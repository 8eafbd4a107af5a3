"""Agreement between two label sets of the same interferograms (two annotators, or an
annotator and a reviewer).

Boxes are paired only within one interferogram, one to one, by the assignment that maximises
the total intersection-over-union (Hungarian method): a greedy best-pair-first matching can
take the one pair that blocks two better ones and then counts two boxes as missed. A pair needs
IoU >= ``min_iou`` (0.3 by default): two people's boxes around one signal differ in their
margins, while two signals side by side rarely overlap that much. IoU rather than the overlap
coefficient of ``recurrence``: here both boxes delineate the same fringes in the same
interferogram, so a small box inside a large one is a disagreement about extent.

Set A is the reference and B the test: precision is counted over B's boxes, recall over A's.
Cohen's kappa on the attributes of paired boxes says how much of the agreement is more than
the two annotators' own class frequencies would give by chance.
"""
from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, Hashable, List, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from ..base import crs as crsmod
from ..base.outputs import OutputFiles, output_file
from ..base.progress import Cancelled, ProgressLike
from ..labels.classes import CLASSES
from ..labels.schema import Label
from ..labels.store import LabelFileError, LabelStore

DEFAULT_MIN_IOU = 0.3
UNMATCHED = "unmatched"
ALL = "all"
NAN = float("nan")
PathLike = Union[str, Path]


# ---------------------------------------------------------------- statistics

def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two raters' categories for the same items: (p_o - p_e) / (1 - p_e),
    with p_e from each rater's own category frequencies. NaN when undefined: no items, or
    both raters always use the one same category (p_e = 1)."""
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"kappa needs two ratings per item, got {len(a)} and {len(b)}")
    n = len(a)
    if n == 0:
        return NAN
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if expected >= 1.0 - 1e-12:
        return NAN
    return (observed - expected) / (1.0 - expected)


def _agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> Tuple[float, float]:
    """(fraction of items rated alike, kappa); NaN, NaN without items."""
    if not a:
        return NAN, NAN
    return sum(x == y for x, y in zip(a, b)) / len(a), cohen_kappa(a, b)


def _ratio(num: int, den: int) -> float:
    return num / den if den else NAN


# ---------------------------------------------------------------- matching

def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every box of ``a`` (n, 4) with every box of ``b`` (m, 4), xmin ymin xmax ymax."""
    a = np.asarray(a, float).reshape(-1, 4)
    b = np.asarray(b, float).reshape(-1, 4)
    ix = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    iy = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.clip(ix, 0, None) * np.clip(iy, 0, None)
    area_a = np.clip(a[:, 2] - a[:, 0], 0, None) * np.clip(a[:, 3] - a[:, 1], 0, None)
    area_b = np.clip(b[:, 2] - b[:, 0], 0, None) * np.clip(b[:, 3] - b[:, 1], 0, None)
    union = area_a[:, None] + area_b[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, inter / union, 0.0)


def match_boxes(a: np.ndarray, b: np.ndarray,
                min_iou: float = DEFAULT_MIN_IOU) -> List[Tuple[int, int, float]]:
    """One-to-one pairs (i, j, iou) of boxes of ``a`` and ``b`` with the largest total IoU,
    ordered by i. A pair needs IoU >= ``min_iou`` and some overlap (even with min_iou 0)."""
    from scipy.optimize import linear_sum_assignment

    if not 0.0 <= min_iou <= 1.0:
        raise ValueError(f"min_iou must be between 0 and 1, got {min_iou}")
    iou = iou_matrix(a, b)
    if iou.size == 0:
        return []
    allowed = (iou >= min_iou) & (iou > 0)
    # a pair below the threshold weighs nothing: the best assignment over the allowed pairs
    # is then the best assignment of the full matrix with its zero-weight pairs dropped
    rows, cols = linear_sum_assignment(np.where(allowed, iou, 0.0), maximize=True)
    return [(int(i), int(j), float(iou[i, j])) for i, j in zip(rows, cols) if allowed[i, j]]


# ---------------------------------------------------------------- the result

@dataclass(frozen=True)
class BoxPair:
    stem: str
    id_a: Optional[int]
    id_b: Optional[int]
    iou: float
    cls_a: str
    cls_b: str
    sign_qual_a: int
    sign_qual_b: int
    class_unc_a: int
    class_unc_b: int


class ClassScore(NamedTuple):
    """A class's boxes in A and B, pairs of that class in both, and the scores. F1 is
    2 tp / (n_a + n_b): 0 for a class only one set uses, NaN only when neither does."""
    n_a: int
    n_b: int
    tp: int
    precision: float
    recall: float
    f1: float


def _score(n_a: int, n_b: int, tp: int) -> ClassScore:
    return ClassScore(n_a, n_b, tp, _ratio(tp, n_b), _ratio(tp, n_a), _ratio(2 * tp, n_a + n_b))


@dataclass
class Agreement:
    pairs: List[BoxPair] = field(default_factory=list)
    unmatched_a: List[Tuple[str, Label]] = field(default_factory=list)
    unmatched_b: List[Tuple[str, Label]] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)  # files left out, naming the file
    warnings: List[str] = field(default_factory=list)  # what the reader normalised
    min_iou: float = DEFAULT_MIN_IOU
    stems: List[str] = field(default_factory=list)  # interferograms compared
    only_in_a: List[str] = field(default_factory=list)
    only_in_b: List[str] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)  # a file of the stem was unreadable

    @property
    def n_a(self) -> int:
        return len(self.pairs) + len(self.unmatched_a)

    @property
    def n_b(self) -> int:
        return len(self.pairs) + len(self.unmatched_b)

    @property
    def mean_iou(self) -> float:
        return float(np.mean([p.iou for p in self.pairs])) if self.pairs else NAN

    def classes(self) -> List[str]:
        """Codes used by either set, in MIRAGE order; codes outside the schema last."""
        seen = ({p.cls_a for p in self.pairs} | {p.cls_b for p in self.pairs}
                | {lab.cls for _, lab in self.unmatched_a}
                | {lab.cls for _, lab in self.unmatched_b})
        return [c for c in CLASSES if c in seen] + sorted(seen - set(CLASSES))

    def _counts(self) -> Tuple[Counter, Counter, Counter]:
        n_a = Counter([p.cls_a for p in self.pairs] + [lab.cls for _, lab in self.unmatched_a])
        n_b = Counter([p.cls_b for p in self.pairs] + [lab.cls for _, lab in self.unmatched_b])
        tp = Counter(p.cls_a for p in self.pairs if p.cls_a == p.cls_b)
        return n_a, n_b, tp

    def per_class(self) -> Dict[str, ClassScore]:
        """Code -> ClassScore for every class either set uses, then ``"all"``: the
        micro-average (every box counted once, whatever its class)."""
        n_a, n_b, tp = self._counts()
        out = {c: _score(n_a[c], n_b[c], tp[c]) for c in self.classes()}
        out[ALL] = _score(sum(n_a.values()), sum(n_b.values()), sum(tp.values()))
        return out

    def matched_counts(self) -> Dict[str, Tuple[int, int]]:
        """Code -> (A's boxes of the class paired with any B box, B's likewise): found at
        all, whatever class the other set gave."""
        in_a = Counter(p.cls_a for p in self.pairs)
        in_b = Counter(p.cls_b for p in self.pairs)
        out = {c: (in_a[c], in_b[c]) for c in self.classes()}
        out[ALL] = (len(self.pairs), len(self.pairs))
        return out

    def kappa_class(self) -> float:
        return cohen_kappa([p.cls_a for p in self.pairs], [p.cls_b for p in self.pairs])

    def agreement_class(self) -> Tuple[float, float]:
        return _agreement([p.cls_a for p in self.pairs], [p.cls_b for p in self.pairs])

    def agreement_sign_qual(self) -> Tuple[float, float]:
        """(fraction of paired boxes with the same Sign_Qual, kappa)."""
        return _agreement([p.sign_qual_a for p in self.pairs],
                          [p.sign_qual_b for p in self.pairs])

    def agreement_class_unc(self) -> Tuple[float, float]:
        """(fraction of paired boxes with the same Class_Unc, kappa)."""
        return _agreement([p.class_unc_a for p in self.pairs],
                          [p.class_unc_b for p in self.pairs])

    def confusion(self) -> Tuple[List[str], np.ndarray]:
        """(labels, counts): rows are A's class, columns B's; a box of one set without a
        partner counts in the other set's ``"unmatched"`` column or row. Row sums are A's
        boxes per class, column sums B's."""
        labels = self.classes() + [UNMATCHED]
        index = {c: k for k, c in enumerate(labels)}
        u = index[UNMATCHED]
        matrix = np.zeros((len(labels), len(labels)), int)
        for p in self.pairs:
            matrix[index[p.cls_a], index[p.cls_b]] += 1
        for _, lab in self.unmatched_a:
            matrix[index[lab.cls], u] += 1
        for _, lab in self.unmatched_b:
            matrix[u, index[lab.cls]] += 1
        return labels, matrix


# ---------------------------------------------------------------- comparing two folders

def _crs_of(label_set) -> Optional[str]:
    return f"EPSG:{label_set.epsg}" if label_set.epsg else label_set.crs_wkt


def _to_crs(labels: Sequence[Label], src: str, dst: str) -> List[Label]:
    out = []
    for lab in labels:
        x0, y0, x1, y1 = crsmod.convert_bounds(lab.bounds, src, dst)
        out.append(replace(lab, xmin=x0, ymin=y0, xmax=x1, ymax=y1))
    return out


def _pair(stem: str, a: Label, b: Label, iou: float) -> BoxPair:
    return BoxPair(stem, a.id, b.id, iou, a.cls, b.cls, a.sign_qual, b.sign_qual,
                   a.class_unc, b.class_unc)


def compare_label_sets(dir_a: PathLike, dir_b: PathLike, min_iou: float = DEFAULT_MIN_IOU,
                       progress: ProgressLike = None,
                       is_cancelled: Callable[[], bool] = lambda: False,
                       strict: bool = False) -> Agreement:
    """Compare the label folders ``dir_a`` (reference) and ``dir_b`` (test) file by file.

    A stem in one folder only contributes all its labels as unmatched. A stem whose file is
    unreadable in either folder is left out on both sides (counting the other side's labels
    as unmatched would blame an annotator for a broken file) and named in ``problems``.
    B's boxes are converted to A's CRS when the two files differ. ``strict``: an unreadable
    file raises LabelFileError instead (the command line's agreement is all or nothing)."""
    if not 0.0 <= min_iou <= 1.0:
        raise ValueError(f"min_iou must be between 0 and 1, got {min_iou}")
    for folder in (dir_a, dir_b):
        if not Path(folder).is_dir():
            raise FileNotFoundError(f"{folder}: no such folder")
    report = progress or (lambda f, m: None)
    stores = {"A": LabelStore(dir_a), "B": LabelStore(dir_b)}
    present = {side: set(store.stems()) for side, store in stores.items()}
    result = Agreement(min_iou=min_iou)
    stems = sorted(present["A"] | present["B"])
    for k, stem in enumerate(stems):
        if is_cancelled():
            raise Cancelled()
        if k % 20 == 0:
            report(k / max(len(stems), 1), f"comparing {stem}")
        sets, failed = {}, False
        for side, store in stores.items():
            sets[side] = None
            if stem not in present[side]:
                continue
            try:
                sets[side] = store.read(stem)
            except LabelFileError as exc:
                if strict:
                    from .processes import unreadable_error

                    raise unreadable_error([f"{side}: {exc}"]) from None
                result.problems.append(f"{side}: {exc}; {stem} left out of the comparison")
                failed = True
        if failed:
            result.skipped.append(stem)
            continue
        set_a, set_b = sets["A"], sets["B"]
        for side, label_set in sets.items():
            if label_set is not None:
                result.warnings += [f"{side}: {w}" for w in label_set.warnings]
        if set_b is None:
            result.only_in_a.append(stem)
        elif set_a is None:
            result.only_in_b.append(stem)
        result.stems.append(stem)
        labels_a = set_a.labels if set_a else []
        labels_b = set_b.labels if set_b else []
        if labels_a and labels_b:
            crs_a, crs_b = _crs_of(set_a), _crs_of(set_b)
            if crs_a and crs_b and not crsmod.same(crs_a, crs_b):
                try:
                    labels_b = _to_crs(labels_b, crs_b, crs_a)
                except crsmod.CrsError as exc:
                    raise LabelFileError(f"{set_b.path}: its labels cannot be compared with "
                                         f"A's ({exc})", path=set_b.path) from None
                result.warnings.append(f"B: {set_b.path.name}: labels in "
                                       f"{crsmod.describe(crs_b)}, converted to A's "
                                       f"{crsmod.describe(crs_a)}")
        matches = match_boxes(np.array([lab.bounds for lab in labels_a], float),
                              np.array([lab.bounds for lab in labels_b], float), min_iou)
        result.pairs += [_pair(stem, labels_a[i], labels_b[j], iou) for i, j, iou in matches]
        used_a = {i for i, _, _ in matches}
        used_b = {j for _, j, _ in matches}
        result.unmatched_a += [(stem, lab) for i, lab in enumerate(labels_a) if i not in used_a]
        result.unmatched_b += [(stem, lab) for j, lab in enumerate(labels_b) if j not in used_b]
    report(1.0, "compared")
    return result


# ---------------------------------------------------------------- output

CSV_COLUMNS = ("class", "name", "n_a", "n_b", "matched_a", "matched_b", "matched_same_class",
               "precision", "recall", "f1")
BOX_COLUMNS = ("stem", "status", "id_a", "id_b", "iou", "cls_a", "cls_b", "sign_qual_a",
               "sign_qual_b", "class_unc_a", "class_unc_b")


def _fmt(value) -> str:
    """Integers as they are, other numbers to 6 significant digits, NaN as ``nan``."""
    if value is None:
        return ""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return "nan" if math.isnan(value) else f"{float(value):.6g}"
    return str(value)


def sibling_paths(path: PathLike) -> Dict[str, Path]:
    """Where ``write_agreement_csv`` puts each table, keyed by what it holds."""
    path = Path(path)
    return {"classes": path, "confusion": path.with_name(f"{path.stem}_confusion.csv"),
            "summary": path.with_name(f"{path.stem}_summary.csv"),
            "boxes": path.with_name(f"{path.stem}_boxes.csv")}


def summary_rows(agreement: Agreement) -> List[Tuple[str, object]]:
    """(measure, value) pairs of the whole comparison."""
    ag = agreement
    class_frac, class_kappa = ag.agreement_class()
    sq_frac, sq_kappa = ag.agreement_sign_qual()
    cu_frac, cu_kappa = ag.agreement_class_unc()
    return [("min_iou", float(ag.min_iou)), ("stems_compared", len(ag.stems)),
            ("stems_only_in_a", len(ag.only_in_a)), ("stems_only_in_b", len(ag.only_in_b)),
            ("stems_skipped", len(ag.skipped)), ("boxes_a", ag.n_a), ("boxes_b", ag.n_b),
            ("pairs", len(ag.pairs)), ("unmatched_a", len(ag.unmatched_a)),
            ("unmatched_b", len(ag.unmatched_b)),
            ("detection_precision", _ratio(len(ag.pairs), ag.n_b)),
            ("detection_recall", _ratio(len(ag.pairs), ag.n_a)),
            ("mean_iou", ag.mean_iou), ("class_agreement", class_frac),
            ("kappa_class", class_kappa), ("sign_qual_agreement", sq_frac),
            ("kappa_sign_qual", sq_kappa), ("class_unc_agreement", cu_frac),
            ("kappa_class_unc", cu_kappa), ("problems", len(ag.problems))]


def write_agreement_csv(agreement: Agreement, path: PathLike) -> Path:
    """Per-class scores at ``path`` (one row per class, then ``all``), and beside it
    ``<stem>_confusion.csv`` (rows A's class, columns B's), ``<stem>_summary.csv``
    (measure, value) and ``<stem>_boxes.csv`` (every pair and unpaired box, for finding the
    disagreements). Returns ``path``; ``sibling_paths`` gives the others."""
    with OutputFiles() as files:
        _write_agreement_csvs(agreement, {k: files.temp(v) for k, v in
                                          sibling_paths(path).items()})
    return sibling_paths(path)["classes"]


def _write_agreement_csvs(agreement: Agreement, paths: Dict[str, Path]) -> None:
    matched = agreement.matched_counts()
    with open(paths["classes"], "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(CSV_COLUMNS)
        for code, s in agreement.per_class().items():
            name = CLASSES[code].name if code in CLASSES else ""
            out.writerow([code, name, *map(_fmt, (s.n_a, s.n_b, *matched[code], s.tp,
                                                  s.precision, s.recall, s.f1))])
    labels, matrix = agreement.confusion()
    with open(paths["confusion"], "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["a_class"] + labels)
        for label, row in zip(labels, matrix):
            out.writerow([label] + [_fmt(v) for v in row])
    with open(paths["summary"], "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["measure", "value"])
        out.writerows((name, _fmt(value)) for name, value in summary_rows(agreement))
    with open(paths["boxes"], "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(BOX_COLUMNS)
        for p in agreement.pairs:
            status = "same_class" if p.cls_a == p.cls_b else "class_differs"
            out.writerow([p.stem, status] + [_fmt(v) for v in (
                p.id_a, p.id_b, p.iou, p.cls_a, p.cls_b, p.sign_qual_a, p.sign_qual_b,
                p.class_unc_a, p.class_unc_b)])
        for status, rows in (("only_a", agreement.unmatched_a),
                             ("only_b", agreement.unmatched_b)):
            for stem, lab in rows:
                a_side = status == "only_a"
                out.writerow([stem, status] + [_fmt(v) for v in (
                    lab.id if a_side else None, None if a_side else lab.id, None,
                    lab.cls if a_side else None, None if a_side else lab.cls,
                    lab.sign_qual if a_side else None, None if a_side else lab.sign_qual,
                    lab.class_unc if a_side else None, None if a_side else lab.class_unc)])


def render_agreement(agreement: Agreement, out_png: PathLike, title: str = "",
                     width_in: float = 9.0) -> Path:
    """The confusion matrix as an annotated heatmap beside per-class precision, recall and
    F1 bars (a NaN score is marked "n/a", not drawn as a zero)."""
    # a bare Figure on the Agg canvas, never pyplot: this runs in worker threads, and pyplot's
    # global state (and a backend switch that closes every figure) belongs to the user
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels, matrix = agreement.confusion()
    scores = agreement.per_class()
    fig = Figure(figsize=(width_in, 4.2), constrained_layout=True)
    FigureCanvasAgg(fig)
    if agreement.n_a + agreement.n_b == 0:
        ax = fig.subplots()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no labels in either set", ha="center", va="center", fontsize=9)
    else:
        _draw(*fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.3]}), labels, matrix,
              scores)
    kappa = agreement.kappa_class()
    head = (f"{len(agreement.pairs)} pairs (IoU >= {agreement.min_iou:g}), "
            f"{len(agreement.unmatched_a)} only in A, {len(agreement.unmatched_b)} only in B; "
            f"class kappa {'n/a' if math.isnan(kappa) else f'{kappa:.2f}'}")
    fig.suptitle(f"{title}\n{head}" if title else head, fontsize=8)
    out_png = Path(out_png)
    with output_file(out_png) as tmp:
        fig.savefig(tmp, dpi=110)
    return out_png


def _draw(ax_cm, ax_bar, labels, matrix, scores) -> None:
    top = max(int(matrix.max()), 1)
    ax_cm.imshow(matrix, cmap="Blues", vmin=0, vmax=top)
    ticks = np.arange(len(labels))
    short = [("none" if c == UNMATCHED else c) for c in labels]
    ax_cm.set_xticks(ticks, short, fontsize=7, rotation=90 if len(labels) > 8 else 0)
    ax_cm.set_yticks(ticks, short, fontsize=7)
    ax_cm.set_xticks(ticks[:-1] + 0.5, minor=True)
    ax_cm.set_yticks(ticks[:-1] + 0.5, minor=True)
    ax_cm.grid(which="minor", color="#dddddd", lw=0.5)
    ax_cm.tick_params(which="minor", length=0)
    ax_cm.axhline(len(labels) - 1.5, color="#555555", lw=0.9)  # boxes without a partner
    ax_cm.axvline(len(labels) - 1.5, color="#555555", lw=0.9)
    ax_cm.set_xlabel("B (test)", fontsize=8)
    ax_cm.set_ylabel("A (reference)", fontsize=8)
    ax_cm.set_title("boxes by class (none: no partner)", fontsize=8)
    for r in range(matrix.shape[0]):
        for c in range(matrix.shape[1]):
            if matrix[r, c]:
                ax_cm.text(c, r, str(matrix[r, c]), ha="center", va="center", fontsize=7,
                           color="white" if matrix[r, c] > 0.55 * top else "black")

    codes = list(scores)
    x = np.arange(len(codes))
    width = 0.27
    metrics = (("precision", "#4575b4"), ("recall", "#fdae61"), ("f1", "#1a9850"))
    for k, (name, colour) in enumerate(metrics):
        values = np.array([getattr(scores[c], name) for c in codes], float)
        offset = (k - 1) * width
        finite = np.isfinite(values)
        # a zero keeps an outline on the axis, so it reads as 0 and not as missing
        ax_bar.bar(x[finite] + offset, values[finite], width, color=colour, edgecolor=colour,
                   lw=1.2, label=name)
        for xi in x[~finite]:
            ax_bar.text(xi + offset, 0.02, "n/a", rotation=90, ha="center", va="bottom",
                        fontsize=5.5, color="#777777")
    ax_bar.axvline(len(codes) - 1.5, color="#999999", lw=0.8, ls="--")  # classes | all
    ax_bar.set_xticks(x, [f"{c}\n{scores[c].n_a}/{scores[c].n_b}" for c in codes], fontsize=6.5)
    ax_bar.set_xlim(-0.6, len(codes) - 0.4)
    ax_bar.set_ylim(0, 1.05)
    ax_bar.set_ylabel("score", fontsize=8)
    ax_bar.tick_params(axis="y", labelsize=7)
    ax_bar.set_title("per class (boxes A/B)", fontsize=8)
    ax_bar.legend(fontsize=6.5, frameon=False, ncol=3, loc="upper center",
                  bbox_to_anchor=(0.5, -0.16))
