"""The duplicate checks of one file's labels: an Id used twice, the same box twice, boxes
nearly the same (intersection over union >= ``NEAR_IDENTICAL_IOU``, 0.9).
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np

from ...base.messages import Msg
from .files import RawLabel, _FileAudit
from .findings import ERROR, WARNING

NEAR_IDENTICAL_IOU = 0.9


def _check_duplicates(fa: _FileAudit, records: Sequence[RawLabel]) -> None:
    ids = Counter(r.label_id for r in records if r.label_id is not None)
    for label_id, n in sorted(ids.items()):
        if n > 1:
            last = [r for r in records if r.label_id == label_id][-1]
            fa.add(ERROR, "duplicate.id", Msg("{name}: Id {label_id} is used by {n} labels",
                                              name=fa.name, label_id=label_id, n=n),
                   label_id, last.bounds)
    boxed = [r for r in records if r.bounds is not None]
    if len(boxed) < 2:
        return
    b = np.array([r.bounds for r in boxed])
    from ..processes import candidate_pairs

    i, j = candidate_pairs(b)
    ix = np.minimum(b[i, 2], b[j, 2]) - np.maximum(b[i, 0], b[j, 0])
    iy = np.minimum(b[i, 3], b[j, 3]) - np.maximum(b[i, 1], b[j, 1])
    inter = np.clip(ix, 0, None) * np.clip(iy, 0, None)
    area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area[i] + area[j] - inter)
    for a, c, v in zip(i, j, iou):
        ra, rc = boxed[a], boxed[c]
        if np.allclose(ra.bounds, rc.bounds, atol=1e-6):
            fa.add(WARNING, "duplicate.box", Msg("{name}: labels {label_id} and "
                                                 "{label_id2} are the same box",
                                                 name=fa.name, label_id=ra.label_id,
                                                 label_id2=rc.label_id), rc.label_id, rc.bounds)
        elif v >= NEAR_IDENTICAL_IOU:
            fa.add(WARNING, "duplicate.near_box", Msg("{name}: labels {label_id} and "
                                                      "{label_id2} are nearly the same box "
                                                      "(IoU {v:.2f})",
                                                      name=fa.name, label_id=ra.label_id,
                                                      label_id2=rc.label_id, v=v), rc.label_id,
                   rc.bounds)
