"""The ten MIRAGE class codes (paper, Table 2) with region, colour and typical figures.

The typical area, main baseline and signal pattern come from Table 2 of the MIRAGE data paper;
they drive the synthetic generator, the class guide and the plausibility checks, so they live
here once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

ALPS = "Alps"
APENNINES = "Apennines"
BOTH = "both"
REGIONS = (ALPS, APENNINES)


@dataclass(frozen=True)
class MassMovementClass:
    code: str
    name: str
    region: str  # ALPS, APENNINES or BOTH (artefacts occur everywhere)
    colour: str  # fixed outline colour, #rrggbb, chosen to stay readable over a cyclic ramp
    mean_area_km2: float  # Table 2 (AR: mean of the two regions)
    main_baseline_days: Optional[int]  # Table 2; None for artefacts
    shape: str  # broad / localised / elongated (paper, Data Overview); "-" for artefacts
    texture: str  # homogeneous / heterogeneous; "-" for artefacts

    def lives_in(self, region: str) -> bool:
        return self.region == BOTH or self.region == region


_CLASS_LIST = (
    MassMovementClass("AR", "Artefact", BOTH, "#808080", 0.095, None, "-", "-"),
    MassMovementClass("DG", "Deep-seated gravitational slope deformation", ALPS, "#6a3d9a",
                      0.65, 365, "broad", "homogeneous"),
    MassMovementClass("DS", "Debris slide", ALPS, "#ff7f00", 0.10, 365, "localised",
                      "heterogeneous"),
    MassMovementClass("RS", "Rockslide", ALPS, "#e31a1c", 0.13, 365, "localised", "homogeneous"),
    MassMovementClass("RG", "Rock glacier", ALPS, "#0050ff", 0.04, 12, "elongated", "homogeneous"),
    MassMovementClass("PR", "Protalus rampart", ALPS, "#8c510a", 0.04, 12, "elongated",
                      "heterogeneous"),
    MassMovementClass("TA", "Talus", ALPS, "#ff1493", 0.05, 12, "elongated", "heterogeneous"),
    MassMovementClass("CF", "Earthflow in clay-shales", APENNINES, "#006d2c", 0.06, 12,
                      "elongated", "homogeneous"),
    MassMovementClass("CS", "Earthslide in clay-shales", APENNINES, "#000000", 0.06, 12,
                      "localised", "homogeneous"),
    MassMovementClass("FS", "Rockslide in flysch rocks", APENNINES, "#b8860b", 0.07, 12,
                      "localised", "homogeneous"),
)

CLASSES: Dict[str, MassMovementClass] = {c.code: c for c in _CLASS_LIST}
CLASS_CODES: Tuple[str, ...] = tuple(c.code for c in _CLASS_LIST)


def classes_for_region(region: Optional[str]) -> Tuple[MassMovementClass, ...]:
    """Classes valid in ``region`` first, then the others (for pickers); all if region is None."""
    if region is None:
        return _CLASS_LIST
    first = tuple(c for c in _CLASS_LIST if c.lives_in(region))
    return first + tuple(c for c in _CLASS_LIST if not c.lives_in(region))


def class_region_matches(code: str, region: Optional[str]) -> bool:
    cls = CLASSES.get(code)
    return cls is not None and (region is None or cls.lives_in(region))


def region_of_point(lon: float, lat: float) -> Optional[str]:
    """MIRAGE's two areas for a point in Italy and around: the Central Alps (north of about
    45.3 N) or the Northern Apennines; None outside (the user then sees every class alike)."""
    if not (6.0 <= lon <= 19.0 and 36.0 <= lat <= 48.0):
        return None
    return ALPS if lat >= 45.3 else APENNINES
