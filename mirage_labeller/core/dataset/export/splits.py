"""The split of an export's chips into train, val and test: processes that share a chip are
one group, a group goes whole to one split (the same movement never sits in train and test),
groups are stratified by their majority class (``split_groups``); negatives are drawn apart.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Dict, List, Sequence, Tuple

import numpy as np

from ...labels.classes import CLASS_CODES
from .config import SPLITS, ExportConfig
from .plan import _Chip


class _UnionFind:
    def __init__(self):
        self.parent: Dict[str, str] = {}

    def find(self, a: str) -> str:
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _miss(filled: np.ndarray, target: np.ndarray, j: int, size: int) -> float:
    """How far the split shares would be from their targets with ``size`` more in split j."""
    trial = filled.copy()
    trial[j] += size
    return float(((trial - target) ** 2).sum())


def split_groups(groups: Sequence[Tuple[str, str, int]], fractions: Sequence[float],
                 seed: int = 0) -> Dict[str, str]:
    """Split of each group (key, majority class, number of boxes). Per class, groups taken
    largest first (equal sizes in an order shuffled with ``seed``) each go where the class's
    box counts end up closest to the shares (least squared deviation; ties to train, then
    val): big groups settle train, small ones then fill val and test. Whole groups only, so
    the shares are met as closely as the group sizes allow; a class seen in one group stays
    in train."""
    rng = np.random.default_rng(seed)
    rank = {c: i for i, c in enumerate(CLASS_CODES)}
    by_class: Dict[str, List[Tuple[str, int]]] = defaultdict(list)
    for key, cls, size in groups:
        by_class[cls].append((key, size))
    out: Dict[str, str] = {}
    usable = [i for i, f in enumerate(fractions) if f > 0]
    for cls in sorted(by_class, key=lambda c: (rank.get(c, len(rank)), c)):
        members = sorted(by_class[cls])
        total = sum(size for _, size in members)
        target = np.asarray(fractions, float) * total
        filled = np.zeros(len(SPLITS))
        shuffled = [members[i] for i in rng.permutation(len(members))]
        for key, size in sorted(shuffled, key=lambda m: -m[1]):  # stable: shuffle breaks ties
            _, s = min((_miss(filled, target, j, size), j) for j in usable)
            filled[s] += size
            out[key] = SPLITS[s]
    return out


def _assign_splits(chips: List[_Chip], pids: Sequence[str], config: ExportConfig) -> int:
    """Split of every positive chip, through the groups of processes sharing chips; returns
    the number of groups (few groups: the shares cannot be met, whatever the seed)."""
    uf = _UnionFind()
    for chip in chips:
        members = [pids[b.label] for b in chip.boxes] + [pids[li] for li in chip.fragments]
        for p in members:
            uf.find(p)
        for p in members[1:]:
            uf.union(members[0], p)
    box_classes: Dict[str, Counter] = defaultdict(Counter)
    for chip in chips:
        root = uf.find(pids[chip.boxes[0].label])
        for b in chip.boxes:
            box_classes[root][CLASS_CODES[b.cls]] += 1
    rank = {c: i for i, c in enumerate(CLASS_CODES)}
    groups = [(root, min(counts, key=lambda c: (-counts[c], rank[c])), sum(counts.values()))
              for root, counts in box_classes.items()]
    assigned = split_groups(groups, config.split, config.seed)
    for chip in chips:
        chip.split = assigned[uf.find(pids[chip.boxes[0].label])]
    return len(groups)


def _pick_negatives(candidates: List[_Chip], config: ExportConfig) -> List[_Chip]:
    """Kept at ``negative_rate``, each to a split drawn with the split shares (own stream of
    the seed, so the positives' split does not change with the negative rate)."""
    rng = np.random.default_rng([int(config.seed), 1])
    keep = rng.random(len(candidates)) < config.negative_rate
    which = rng.choice(len(SPLITS), size=len(candidates), p=np.asarray(config.split, float)
                       / float(sum(config.split)))
    out = []
    for chip, k, s in zip(candidates, keep, which):
        if k:
            chip.split = SPLITS[int(s)]
            out.append(chip)
    return out
