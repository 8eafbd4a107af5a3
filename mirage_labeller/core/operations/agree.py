"""agree: agreement between two label sets of the same interferograms (core.dataset.agreement).

Both sets are read strictly: a damaged file would make the other annotator look worse
without a word.
"""
from __future__ import annotations

from pathlib import Path

from .base import Operation, checked_output, existing_folder
from .params import CSV, FLOAT, INPUT_FOLDER, OUTPUT_FILE, PNG, Param
from .result import Result, Table, TableSpec, ValueSpec

DEFAULT_MIN_IOU = 0.3  # core.dataset.agreement.DEFAULT_MIN_IOU
_FIELDS = (("class", "string"), ("n_a", "int"), ("n_b", "int"), ("matched_same_class", "int"),
           ("precision", "float"), ("recall", "float"), ("f1", "float"))


def run(p, progress) -> Result:
    from ..dataset.agreement import (
        compare_label_sets,
        render_agreement,
        sibling_paths,
        write_agreement_csv,
    )

    a, b = p["labeldir_a"], p["labeldir_b"]
    for folder in (a, b):
        existing_folder(folder)
    guarded = [a, b]
    checked_output(p["csv"], guarded, guarded, suffixes=CSV)
    if p["csv"]:
        for out in sibling_paths(p["csv"]).values():
            checked_output(out, guarded, guarded)
    checked_output(p["png"], guarded, guarded, suffixes=PNG)
    agreement = compare_label_sets(a, b, p["min_iou"], progress.part(0.0, 0.9),
                                   progress.cancelled, strict=True)
    result = Result(data=agreement)
    result.note(*agreement.problems, *agreement.warnings)
    result.say(f"{'class':<6} {'n A':>5} {'n B':>5} {'same':>5} {'prec':>6} {'recall':>6} "
               f"{'F1':>6}")
    table = Table()
    for code, (n_a, n_b, tp, precision, recall, f1) in agreement.per_class().items():
        result.say(f"{code:<6} {n_a:>5} {n_b:>5} {tp:>5} {precision:6.2f} {recall:6.2f} "
                   f"{f1:6.2f}")
        table.rows.append([code, int(n_a), int(n_b), int(tp), float(precision), float(recall),
                           float(f1)])
    result.tables["OUTPUT"] = table
    kappa = agreement.kappa_class()
    sq, sq_k = agreement.agreement_sign_qual()
    cu, cu_k = agreement.agreement_class_unc()
    result.say(f"{len(agreement.pairs)} matched boxes (IoU >= {p['min_iou']}), "
               f"{len(agreement.unmatched_a)} only in A, {len(agreement.unmatched_b)} only in "
               f"B; class kappa {kappa:.2f}; Sign_Qual equal {sq:.0%} (kappa {sq_k:.2f}); "
               f"Class_Unc equal {cu:.0%} (kappa {cu_k:.2f})")
    result.values.update({"KAPPA": kappa, "MATCHED": len(agreement.pairs)})
    if p["csv"]:
        write_agreement_csv(agreement, p["csv"])
        result.wrote("csv", p["csv"])
    if p["png"]:
        render_agreement(agreement, p["png"], f"{Path(a).name} vs {Path(b).name}")
        result.wrote("png", p["png"])
    progress(1.0, "done")
    return result


OPERATION = Operation(
    name="agree", processing_id="agreement", title="Agreement between two label sets",
    help="agreement between two label sets", group="Labels",
    description="Boxes of the same interferogram in A (the reference) and B are matched one to "
                "one by IoU (optimal assignment, pairs below the minimum IoU unmatched); per "
                "class precision, recall and F1 of B against A, Cohen's kappa on the class of "
                "matched boxes, agreement on Sign_Qual and Class_Unc, and a confusion matrix "
                "with 'unmatched'.",
    params=(
        Param("labeldir_a", INPUT_FOLDER, "Label folder A (reference)",
              "the reference (e.g. the first annotator)", positional=True,
              processing_name="A"),
        Param("labeldir_b", INPUT_FOLDER, "Label folder B",
              "compared with it (e.g. a second annotator)", positional=True,
              processing_name="B"),
        Param("csv", OUTPUT_FILE, "Per-class table (CSV)",
              "per-class table (and *_confusion.csv beside it)", suffixes=CSV, optional=True),
        Param("png", OUTPUT_FILE, "Figure (PNG)",
              "confusion matrix and per-class scores as a figure", suffixes=PNG,
              optional=True),
        Param("min_iou", FLOAT, "Minimum IoU of a match", "boxes overlapping less are not a "
              "match", default=DEFAULT_MIN_IOU, minimum=0.01, maximum=1.0),
    ),
    tables=(TableSpec("OUTPUT", "Agreement per class", _FIELDS),),
    values=(ValueSpec("KAPPA", "number", "Class kappa"),
            ValueSpec("MATCHED", "number", "Matched boxes")),
    runner=run)
