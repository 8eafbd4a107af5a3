"""The polynomial atan2 of the terrain pass against libm's."""
import math

import numpy as np

from mirage_labeller.core.terrain.arctangent import TAN_PI_8, atan2


def test_atan2_matches_libm_in_every_octant():
    rng = np.random.default_rng(5)
    angles = np.concatenate([np.linspace(-math.pi, math.pi, 20001), rng.uniform(-4, 4, 5000)])
    radii = np.concatenate([np.geomspace(1e-9, 1e9, 20001), rng.uniform(0, 10, 5000)])
    xs, ys = radii * np.cos(angles), radii * np.sin(angles)
    # the octant boundaries, where the reduction switches branch
    for a in (0.0, TAN_PI_8, 1.0, 1 / TAN_PI_8):
        for sx in (-1, 1):
            for sy in (-1, 1):
                xs = np.append(xs, [sx * 1.0, sx * a])
                ys = np.append(ys, [sy * a, sy * 1.0])
    worst = max(abs(atan2(y, x) - math.atan2(y, x)) for x, y in zip(xs, ys)
                if not (y == 0 and x < 0))  # the one branch cut: pi here, +-pi in libm
    assert worst < 1e-12
    assert atan2(0.0, -2.0) == math.pi
    assert atan2(0.0, 0.0) == 0.0 and atan2(0.0, 3.0) == 0.0
    assert abs(atan2(5.0, 0.0) - math.pi / 2) < 1e-15
    assert abs(atan2(-5.0, 0.0) + math.pi / 2) < 1e-15
    assert math.isnan(atan2(math.nan, 1.0)) and math.isnan(atan2(1.0, math.nan))
