"""The Topographic Wetness Index of one block, TWI = ln(a / tan b), from the heights (with a
one-pixel halo) and the upslope areas of the flow routing: ``_twi_block``, a compiled loop
(numba when it is installed) that ``hydrology.RoutingJob`` runs block by block.
"""
from __future__ import annotations

import math

from ..base.numba import njit


@njit(cache=True, nogil=True)
def _twi_block(z, acc, ew_rows, ns_rows, min_slope_deg, nodata, out):
    """TWI of one block: ``z`` the heights with a one-pixel halo (NaN beyond the raster),
    ``acc`` the upslope areas; the Horn slope (as the slope layer) floored at
    ``min_slope_deg``, a = area / cell width; ``nodata`` where either is missing."""
    rows, cols = out.shape
    floor = math.tan(math.radians(min_slope_deg))
    for y in range(rows):
        ew, ns = ew_rows[y], ns_rows[y]
        gx, gy = 1.0 / (8.0 * ew), 1.0 / (8.0 * ns)  # multiplications, not divisions
        per_width = 1.0 / math.sqrt(ew * ns)
        for x in range(cols):
            a, b, c = z[y, x], z[y, x + 1], z[y, x + 2]
            d, f = z[y + 1, x], z[y + 1, x + 2]
            g, h, i = z[y + 2, x], z[y + 2, x + 1], z[y + 2, x + 2]
            dzdx = ((c + 2 * f + i) - (a + 2 * d + g)) * gx
            dzdy = ((a + 2 * b + c) - (g + 2 * h + i)) * gy
            tan_b = math.sqrt(dzdx * dzdx + dzdy * dzdy)
            area = acc[y, x]
            if tan_b != tan_b or area != area or z[y + 1, x + 1] != z[y + 1, x + 1]:
                out[y, x] = nodata
                continue
            out[y, x] = math.log(area * per_width / max(tan_b, floor))
