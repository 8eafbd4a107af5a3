"""atan2 as a short polynomial, for the per-pixel terrain pass.

libm's atan2 and atan are calls the compiler cannot inline or vectorise: on a 10000² DEM the
slope and aspect layers spent ~3 CPU-s in them. Here the angle is reduced to |a| <= tan(pi/8)
and atan(a) = a P(a²) with a degree-7 polynomial fitted by least squares to numpy's arctan;
the largest error is 4e-13 rad (2e-11 degrees), far below a float32 output's rounding.
"""
import math

from ..base.numba import njit

TAN_PI_8 = math.tan(math.pi / 8)
# P(t) = sum c_k t^k, k = 0..7 (lowest first)
C0, C1, C2, C3 = (0.9999999999993647, -0.33333333284081046, 0.19999993749640213,
                  -0.14285411809895027)
C4, C5, C6, C7 = (0.11103891397547763, -0.08996376029044072, 0.06990828179390604,
                  -0.03793857834478889)


@njit(cache=True, nogil=True, inline="always")
def atan2(y, x):
    """The angle of (x, y) in (-pi, pi], as ``math.atan2`` to 4e-13 rad; NaN in, NaN out.
    The sign of a zero is not looked at (atan2(-0.0, -1.0) is pi here, -pi in libm)."""
    ax, ay = abs(x), abs(y)
    if ax > ay:
        big, small = ax, ay
    else:  # also when either is NaN: small / big is then NaN
        big, small = ay, ax
    if big == 0.0:
        return 0.0
    a = small / big
    shift = 0.0
    if a > TAN_PI_8:  # atan(a) = pi/4 + atan((a - 1) / (a + 1))
        a = (a - 1.0) / (a + 1.0)
        shift = math.pi / 4
    t = a * a
    p = C7
    p = p * t + C6
    p = p * t + C5
    p = p * t + C4
    p = p * t + C3
    p = p * t + C2
    p = p * t + C1
    p = p * t + C0
    angle = shift + a * p
    if ay > ax:
        angle = math.pi / 2 - angle
    if x < 0.0:
        angle = math.pi - angle
    if y < 0.0:
        angle = -angle
    return angle
