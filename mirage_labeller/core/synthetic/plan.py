"""What a synthetic workspace is made of, region by region: its place, radar frames and
interferogram pairs (``REGIONS``), and the interferograms planned from them
(``interferogram_plan``: dates, Bt, frame, perpendicular baseline).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Dict, List, Tuple

import numpy as np

from ..labels.classes import ALPS, APENNINES
from ..labels.schema import format_ifg


@dataclass(frozen=True)
class RegionSetup:
    origin: Tuple[float, float]  # upper-left corner, EPSG:32632
    frames: Dict[str, str]  # traj -> LiCSAR-style frame id
    plan: Tuple[Tuple[str, str, int], ...]  # (traj, master yyyymmdd, Bt days)
    counts: Dict[str, int]  # class code -> number of bodies
    artefacts: Tuple[str, ...]  # kinds of AR planted


REGIONS: Dict[str, RegionSetup] = {
    ALPS: RegionSetup(
        origin=(590000.0, 5160000.0),
        frames={"A": "015A_05124_131313", "D": "168D_05207_131313"},
        plan=(("A", "20190805", 12), ("A", "20190805", 24), ("A", "20190817", 365),
              ("D", "20190806", 6), ("D", "20190806", 12), ("D", "20190812", 365)),
        counts={"RG": 14, "PR": 4, "TA": 4, "DG": 3, "RS": 3, "DS": 3},
        artefacts=("atmospheric blob", "atmospheric blob", "topographic residual")),
    APENNINES: RegionSetup(
        origin=(660000.0, 4910000.0),
        frames={"A": "117A_05047_131313", "D": "095D_05078_131313"},
        plan=(("A", "20200110", 6), ("A", "20200110", 12), ("A", "20200116", 24),
              ("D", "20200111", 6), ("D", "20200111", 12), ("D", "20200117", 18)),
        counts={"CF": 12, "CS": 8, "FS": 4},
        artefacts=("atmospheric blob", "atmospheric blob", "topographic residual")),
}


@dataclass
class IfgPlan:
    traj: str
    master: dt.date
    slave: dt.date
    frame: str
    perp_baseline_m: float

    @property
    def bt(self) -> int:
        return (self.slave - self.master).days

    @property
    def ifg(self) -> str:
        return format_ifg(self.master, self.slave)

    @property
    def stem(self) -> str:
        return f"{self.frame}_{self.ifg}.geo.diff_pha"

    @property
    def coherence_name(self) -> str:
        return f"{self.frame}_{self.ifg}.geo.cc.tif"


def interferogram_plan(region: str, n: int, rng: np.random.Generator) -> List[IfgPlan]:
    setup = REGIONS[region]
    plans = []
    for i in range(n):
        traj, master, bt = setup.plan[i % len(setup.plan)]
        shift = 36 * (i // len(setup.plan))
        m = dt.datetime.strptime(master, "%Y%m%d").date() + dt.timedelta(days=shift)
        plans.append(IfgPlan(traj, m, m + dt.timedelta(days=bt), setup.frames[traj],
                             float(rng.uniform(-150.0, 150.0))))
    return plans
