"""The MIRAGE label schema (DESIGN.md section 3) and validation of a single label.

A label is an N-S box plus seven attributes. Its geometry is kept as bounds because the schema
only allows axis-aligned rectangles; anything else is refused or normalised by the reader.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Tuple

from ..base.messages import Msg
from .classes import CLASS_CODES, CLASSES

MIRAGE_EPSG = 32632
PIXEL_SIZE_M = 15.0

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "int" or "str"
    width: int
    allowed: Optional[Tuple] = None
    doc: str = ""

    @property
    def fiona_type(self) -> str:
        return f"{self.kind}:{self.width}"


# Integer widths stay below 10 so GDAL reads them as 32-bit Integer, not Integer64.
FIELDS: Tuple[FieldSpec, ...] = (
    FieldSpec("Id", "int", 9, doc="1..n, unique within the file"),
    FieldSpec("Class", "str", 2, CLASS_CODES, "mass-movement class code"),
    FieldSpec("Sign_Qual", "int", 1, (1, 2), "signal quality: 1 high, 2 low"),
    FieldSpec("Class_Unc", "int", 1, (1, 2), "classification uncertainty: 1 low, 2 high"),
    FieldSpec("IFG", "str", 17, doc="master_slave dates, yyyymmdd_yyyymmdd"),
    FieldSpec("Bt", "int", 4, doc="temporal baseline in days (slave - master)"),
    FieldSpec("Traj", "str", 1, ("A", "D"), "orbit: A ascending, D descending"),
)
FIELD_NAMES: Tuple[str, ...] = tuple(f.name for f in FIELDS)
FIELDS_BY_NAME: Dict[str, FieldSpec] = {f.name: f for f in FIELDS}

_IFG_RE = re.compile(r"^(\d{8})_(\d{8})$")


@dataclass(frozen=True)
class Problem:
    severity: str  # ERROR or WARNING
    field: str  # schema field, "geometry" or "file"
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


def parse_yyyymmdd(text: str) -> dt.date:
    """Raise ValueError with a readable message for an impossible date such as 20191345."""
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"'{text}' is not a valid date (yyyymmdd)") from None


def format_ifg(master: dt.date, slave: dt.date) -> str:
    return f"{master:%Y%m%d}_{slave:%Y%m%d}"


def parse_ifg(ifg: str) -> Tuple[dt.date, dt.date]:
    """Return (master, slave) of a MIRAGE IFG string; ValueError says what is wrong."""
    m = _IFG_RE.match(ifg or "")
    if not m:
        raise ValueError(f"IFG '{ifg}' is not in the form yyyymmdd_yyyymmdd")
    master, slave = parse_yyyymmdd(m.group(1)), parse_yyyymmdd(m.group(2))
    if slave <= master:
        raise ValueError(f"IFG '{ifg}': the slave date must come after the master date")
    return master, slave


def baseline_days(ifg: str) -> int:
    master, slave = parse_ifg(ifg)
    return (slave - master).days


@dataclass(frozen=True)
class Label:
    """One MIRAGE label: an N-S box (map units of the label file's CRS) and its attributes."""

    xmin: float
    ymin: float
    xmax: float
    ymax: float
    cls: str
    sign_qual: int
    class_unc: int
    ifg: str
    bt: int
    traj: str
    id: Optional[int] = None

    @property
    def bounds(self) -> Tuple[float, float, float, float]:
        return (self.xmin, self.ymin, self.xmax, self.ymax)

    @property
    def area_m2(self) -> float:
        return max(0.0, self.xmax - self.xmin) * max(0.0, self.ymax - self.ymin)

    def with_id(self, new_id: int) -> "Label":
        return replace(self, id=new_id)

    def record(self) -> Dict[str, object]:
        """Attributes in schema order, as written to the DBF."""
        return {"Id": self.id, "Class": self.cls, "Sign_Qual": self.sign_qual,
                "Class_Unc": self.class_unc, "IFG": self.ifg, "Bt": self.bt, "Traj": self.traj}

    def ring(self) -> List[Tuple[float, float]]:
        """Closed exterior ring, clockwise as the shapefile format wants for outer rings."""
        x0, y0, x1, y1 = self.bounds
        return [(x0, y0), (x0, y1), (x1, y1), (x1, y0), (x0, y0)]


def unrepresentable(label: Label) -> List[str]:
    """What in ``label`` the MIRAGE field widths cannot hold (it would be cut on writing)."""
    out = []
    for spec in FIELDS:
        value = label.record()[spec.name]
        if spec.kind == "str" and value is not None and len(str(value)) > spec.width:
            out.append(f"{spec.name} {value!r} is longer than its field ({spec.width})")
        if spec.kind == "int" and value is not None and len(str(int(value))) > spec.width:
            out.append(f"{spec.name} {value!r} does not fit its field ({spec.width} digits)")
    return out


def validate_label(label: Label, region: Optional[str] = None) -> List[Problem]:
    """Every way ``label`` breaks the schema, as readable messages; empty when it is valid.

    ``region`` (Alps/Apennines) adds a warning for a class that does not live there.
    """
    problems: List[Problem] = []
    where = f"label {label.id}" if label.id is not None else "label"

    def err(fld, msg):
        problems.append(Problem(ERROR, fld, f"{where}: {msg}"))

    if label.id is not None and (not isinstance(label.id, int) or label.id < 1):
        err("Id", f"Id must be a positive integer, got {label.id!r}")
    if label.cls not in CLASSES:
        err("Class", f"Class '{label.cls}' is not one of {', '.join(CLASS_CODES)}")
    elif region is not None and not CLASSES[label.cls].lives_in(region):
        problems.append(Problem(WARNING, "Class", Msg(
            "{where}: Class {cls} ({name}) belongs to the {home}, not the {region}",
            where=Msg("label {id}", id=label.id) if label.id is not None else Msg("label"),
            cls=label.cls, name=CLASSES[label.cls].name, home=CLASSES[label.cls].region,
            region=region)))
    for name, value in (("Sign_Qual", label.sign_qual), ("Class_Unc", label.class_unc)):
        if value not in (1, 2):
            err(name, f"{name} must be 1 or 2, got {value!r}")
    if label.traj not in ("A", "D"):
        err("Traj", f"Traj must be 'A' or 'D', got {label.traj!r}")
    try:
        expected_bt = baseline_days(label.ifg)
    except ValueError as exc:
        err("IFG", str(exc))
    else:
        if label.bt != expected_bt:
            err("Bt", f"Bt is {label.bt!r} but IFG {label.ifg} spans {expected_bt} days")
    x0, y0, x1, y1 = label.bounds
    if not all(map(_finite, label.bounds)):
        err("geometry", "box has a non-finite coordinate")
    elif not (x1 > x0 and y1 > y0):
        err("geometry", f"box has no area (bounds {x0}, {y0}, {x1}, {y1})")
    return problems


def _finite(v) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v)


def errors_only(problems: List[Problem]) -> List[Problem]:
    return [p for p in problems if p.severity == ERROR]
