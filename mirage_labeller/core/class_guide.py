"""The class guide: what each of the ten MIRAGE classes looks like, with examples from the
labels at hand (Table 2 and the Data Overview of the paper give the figures and patterns)."""
from __future__ import annotations

from typing import Callable, Dict, List, Sequence

from .classes import CLASSES, MassMovementClass
from .label_store import LabelFileError
from .recurrence_view import Chip, make_chip


def describe(cls: MassMovementClass) -> str:
    if cls.shape == "-":
        return ("Artefact: fringes from the atmosphere, DEM errors or geometric distortions, "
                "without a landform under them; both regions.")
    baseline = f"{cls.main_baseline_days} d" if cls.main_baseline_days else "any"
    return (f"{cls.name} ({cls.region}): {cls.shape}, {cls.texture} phase signal; typical box "
            f"{cls.mean_area_km2:g} km², seen best at Bt {baseline}")


def class_examples(items: Sequence, store, per_class: int = 3, max_px: int = 120,
                   is_cancelled: Callable[[], bool] = lambda: False) -> Dict[str, List[Chip]]:
    """Up to ``per_class`` chips per class from the labels of the workspace items (each
    example from a different interferogram where possible, best signal quality first)."""
    candidates: Dict[str, list] = {code: [] for code in CLASSES}
    for item in items:
        try:
            labels = store.read(item.label_stem).labels
        except LabelFileError:
            continue
        for lab in labels:
            if lab.cls in candidates:
                candidates[lab.cls].append((lab.sign_qual, item, lab))
    out: Dict[str, List[Chip]] = {}
    for code, found in candidates.items():
        chosen, stems = [], set()
        for _, item, lab in sorted(found, key=lambda t: (t[0], t[1].label_stem, t[2].id)):
            if len(chosen) == per_class:
                break
            if item.label_stem in stems and len(found) > per_class:
                continue
            if is_cancelled():
                raise InterruptedError("cancelled")
            chip = make_chip(item, lab.bounds, None, None, max_px)
            if chip.rgba is not None:
                chosen.append(chip)
                stems.add(item.label_stem)
        out[code] = chosen
    return out
