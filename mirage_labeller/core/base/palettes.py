"""Colour ramps shared by QGIS styles, quick-looks and exports (one definition)."""
from __future__ import annotations

import math
from typing import List, Sequence, Tuple

# MintPy-style "cmy": cyan -> magenta -> yellow -> cyan over [-pi, pi]. Its last colour equals
# its first, so -pi and +pi (the same phase) look the same: no seam.
CYCLIC_CMY: Tuple[str, ...] = ("#00ffff", "#ff00ff", "#ffff00", "#00ffff")


def _hex_to_rgb(c: str) -> Tuple[int, int, int]:
    c = c.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def ramp_stops(colours: Sequence[str] = CYCLIC_CMY, n: int = 64, lo: float = -math.pi,
               hi: float = math.pi) -> List[Tuple[float, Tuple[int, int, int]]]:
    """``n`` evenly spaced (value, rgb) stops, linearly interpolated between ``colours``."""
    rgbs = [_hex_to_rgb(c) for c in colours]
    segments = len(rgbs) - 1
    out = []
    for i in range(n):
        f = i / (n - 1)
        pos = f * segments
        k = min(int(pos), segments - 1)
        t = pos - k
        a, b = rgbs[k], rgbs[k + 1]
        rgb = tuple(int(round(a[j] + (b[j] - a[j]) * t)) for j in range(3))
        out.append((lo + f * (hi - lo), rgb))
    return out


def matplotlib_cmap(colours: Sequence[str] = CYCLIC_CMY, name: str = "mirage_cyclic"):
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(name, list(colours), N=256)
