"""Coherence estimated from the wrapped phase itself, for products shipped without a coherence
map (HyP3's wrapped products without ``_corr.tif``, GAMMA stacks exported phase-only).

The estimate is the magnitude of the mean unit phasor over a ``window`` x ``window``
neighbourhood, gamma_hat = |sum exp(i phi)| / N over the valid pixels of the window - the
phase-only form of the sample coherence (Touzi et al. 1999, IEEE TGRS 37(1)). It is biased and
must be shown as an estimate wherever it is used:

- **upwards on noise**: for independent phases (gamma = 0) E[gamma_hat] is about
  sqrt(pi / (4 N)); with the default 7 x 7 window (N = 49) that is 0.13, below the paper's 0.2
  threshold, which a 5 x 5 window (0.18) would nearly reach;
- **upwards, strongly, on filtered phase**: an adaptive (Goldstein) filter, as GAMMA's, LiCSAR's
  and HyP3's products have, smooths the noise the estimate measures - a filtered product reads
  0.6-0.9 where the true coherence is 0.2-0.4; its ranking of interferograms stays useful,
  its absolute values do not;
- **downwards on dense fringes**: a phase ramp within the window (a fast movement, a residual
  orbit or topography term) lowers the estimate (a ramp of 2 pi over the window gives 0);
  fringes under 1 rad per pixel cost less than 10 % at 7 x 7.

Pixels whose window (the part inside the raster) holds fewer than half valid pixels are NaN
(nodata stays nodata).
"""
from __future__ import annotations

import numpy as np

WINDOW = 7
MIN_VALID_SHARE = 0.5


def estimate_coherence(phase: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """gamma_hat for every pixel of ``phase`` (radians, NaN = nodata), float32."""
    from scipy.ndimage import uniform_filter

    if window < 1 or window % 2 == 0:
        raise ValueError(f"the window must be an odd number of pixels, got {window}")
    phase = np.asarray(phase, dtype=np.float64)
    valid = np.isfinite(phase)
    re = np.where(valid, np.cos(np.where(valid, phase, 0.0)), 0.0)
    im = np.where(valid, np.sin(np.where(valid, phase, 0.0)), 0.0)
    share = uniform_filter(valid.astype(np.float64), window, mode="constant", cval=0.0)
    mean_re = uniform_filter(re, window, mode="constant", cval=0.0)
    mean_im = uniform_filter(im, window, mode="constant", cval=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        gamma = np.hypot(mean_re, mean_im) / share
    # the raster's own edge is not missing data: the share counts the window inside it
    inside = uniform_filter(np.ones_like(share), window, mode="constant", cval=0.0)
    gamma[(share < MIN_VALID_SHARE * inside) | ~valid] = np.nan
    return np.clip(gamma, 0.0, 1.0).astype(np.float32)


def halo(window: int = WINDOW) -> int:
    """Pixels a block needs around it for the estimate at its edge (block-wise reading)."""
    return window // 2
