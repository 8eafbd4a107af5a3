"""The audit's report model: severities, one ``Finding`` per problem, the ``AuditReport``.

Every check of the package adds ``Finding``s to one report; the writers and the front ends
read it. Severities: ``error`` (the label or file breaks the MIRAGE schema or cannot be
trusted), ``warning`` (legal but suspicious: an expert should look), ``info``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass
class Finding:
    severity: str
    file: str
    label_id: Optional[int]
    check: str
    message: str
    bounds: Optional[Tuple[float, float, float, float]] = None
    crs: Optional[str] = None  # of ``bounds``: the label file's own ("EPSG:n" or WKT)

    def row(self) -> dict:
        b = self.bounds or (None, None, None, None)
        return {"severity": self.severity, "file": self.file,
                "label_id": "" if self.label_id is None else self.label_id,
                "check": self.check, "message": self.message,
                "xmin": b[0], "ymin": b[1], "xmax": b[2], "ymax": b[3]}


@dataclass
class AuditReport:
    label_dir: str
    findings: List[Finding] = field(default_factory=list)
    files: int = 0
    labels: int = 0

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def has_errors(self) -> bool:
        return self.count(ERROR) > 0

    def by_check(self) -> Counter:
        return Counter((f.severity, f.check) for f in self.findings)

    @property
    def crs(self) -> Optional[str]:
        """The CRS the findings' boxes are given in together: the first boxed file's."""
        return next((f.crs for f in self.findings if f.bounds and f.crs), None)

    def bounds_in(self, finding: Finding, crs: Optional[str]):
        """A finding's box in ``crs`` (None when it has none or cannot be converted)."""
        from ...base import crs as crsmod

        if finding.bounds is None:
            return None
        if finding.crs is None or crs is None:
            return finding.bounds
        try:
            return crsmod.convert_bounds(finding.bounds, finding.crs, crs)
        except crsmod.CrsError:
            return None

    def sorted(self) -> List[Finding]:
        return sorted(self.findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.file,
                                                    f.label_id or 0, f.check))


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
