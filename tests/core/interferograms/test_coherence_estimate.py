"""Coherence estimated from the phase: its documented bias on noise, order with the true
coherence, nodata kept."""
import numpy as np
import pytest

from mirage_labeller.core.interferograms.coherence_estimate import estimate_coherence


def noisy_phase(gamma, shape=(200, 200), seed=0):
    """Single-look phase of coherence ``gamma``: signal + complex noise of weight
    sqrt(1 - gamma^2) (the generator's recipe)."""
    rng = np.random.default_rng(seed)
    noise = (rng.normal(size=shape) + 1j * rng.normal(size=shape)) / np.sqrt(2)
    return np.angle(gamma + np.sqrt(1 - gamma ** 2) * noise)


def test_bias_on_noise_and_order_with_the_true_coherence():
    pure_noise = estimate_coherence(noisy_phase(0.0))
    assert np.nanmean(pure_noise) == pytest.approx(np.sqrt(np.pi / (4 * 49)), rel=0.1)
    means = [np.nanmean(estimate_coherence(noisy_phase(g))) for g in (0.2, 0.5, 0.8, 0.95)]
    assert means == sorted(means) and means[-1] > 0.8
    assert np.nanmean(estimate_coherence(np.full((50, 50), 1.3))) == pytest.approx(1.0)


def test_nodata_stays_nodata_and_edges_are_estimated():
    phase = noisy_phase(0.9, (60, 60))
    phase[:, :20] = np.nan
    gamma = estimate_coherence(phase)
    assert np.isnan(gamma[:, :20]).all()
    assert np.isfinite(gamma[:, 25:]).all()  # edges of the raster included
    with pytest.raises(ValueError, match="odd"):
        estimate_coherence(phase, window=4)
