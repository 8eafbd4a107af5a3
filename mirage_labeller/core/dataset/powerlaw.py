"""Power-law fits of landslide areas, as in the paper's Fig. 8 (frequency-area distribution).

Continuous maximum likelihood (Clauset, Shalizi & Newman 2009): for a lower cut-off x_min,
beta = 1 + n / sum(ln(x_i / x_min)) over the n areas >= x_min, with standard error
(beta - 1) / sqrt(n); x_min is the candidate (each observed area) that minimises the
Kolmogorov-Smirnov distance between the data above it and the fitted law. The paper calls
the exponent of the non-cumulative density beta (p(A) ~ A^-beta).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

MIN_TAIL = 10  # fewer areas above x_min than this cannot support a fit


@dataclass
class PowerLawFit:
    beta: float
    sigma: float  # standard error of beta
    x_min: float
    n_tail: int
    n: int
    ks: float

    def describe(self) -> str:
        return (f"β = {self.beta:.2f} ± {self.sigma:.2f} above {self.x_min:.3g} "
                f"({self.n_tail} of {self.n}, KS D = {self.ks:.3f})")


def _fit_at(x: np.ndarray, x_min: float):
    tail = x[x >= x_min]
    n = tail.size
    logs = np.log(tail / x_min)
    s = logs.sum()
    if n < MIN_TAIL or s <= 0:
        return None
    beta = 1.0 + n / s
    # KS distance between the empirical CDF of the tail and the fitted CDF
    tail = np.sort(tail)
    fitted = 1.0 - (tail / x_min) ** (1.0 - beta)
    empirical_hi = np.arange(1, n + 1) / n
    empirical_lo = np.arange(0, n) / n
    ks = float(max(np.max(np.abs(empirical_hi - fitted)), np.max(np.abs(fitted - empirical_lo))))
    return beta, ks, n


def fit_power_law(values, x_min: Optional[float] = None, max_candidates: int = 400
                  ) -> Optional[PowerLawFit]:
    """The fit, or None when there are too few positive values for one."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x) & (x > 0)]
    if x.size < MIN_TAIL:
        return None
    if x_min is not None:
        candidates = np.array([x_min])
    else:
        ordered = np.sort(x)
        # a cut-off must leave at least MIN_TAIL values above it (ties count: repeated areas)
        candidates = np.unique(ordered[ordered <= ordered[-MIN_TAIL]])
        if candidates.size > max_candidates:  # evenly in rank: enough to find the minimum
            candidates = candidates[np.linspace(0, candidates.size - 1, max_candidates)
                                    .round().astype(int)]
    best = None
    for c in candidates:
        fit = _fit_at(x, float(c))
        if fit is None:
            continue
        beta, ks, n = fit
        if best is None or ks < best[1]:
            best = (beta, ks, n, float(c))
    if best is None:
        return None
    beta, ks, n_tail, xm = best
    return PowerLawFit(beta, (beta - 1.0) / math.sqrt(n_tail), xm, n_tail, int(x.size), ks)


def sample_power_law(beta: float, x_min: float, n: int, rng) -> np.ndarray:
    """Areas drawn from p(x) ~ x^-beta above x_min (inverse transform), for tests."""
    u = rng.random(n)
    return x_min * (1.0 - u) ** (-1.0 / (beta - 1.0))


def log_binned_density(values, bins_per_decade: int = 5):
    """(centres, density): the non-cumulative frequency-area distribution, per unit area."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x) & (x > 0)]
    if x.size == 0:
        return np.array([]), np.array([])
    lo, hi = math.floor(math.log10(x.min())), math.ceil(math.log10(x.max()))
    hi = max(hi, lo + 1)
    edges = np.logspace(lo, hi, (hi - lo) * bins_per_decade + 1)
    counts, _ = np.histogram(x, edges)
    density = counts / np.diff(edges) / x.size
    centres = np.sqrt(edges[:-1] * edges[1:])
    keep = counts > 0
    return centres[keep], density[keep]
