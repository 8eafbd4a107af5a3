"""Random fields for synthetic data: power-law (fractal) surfaces and smooth masks."""
from __future__ import annotations

import numpy as np


def power_law_field(shape, beta: float, rng: np.random.Generator, pixel: float = 1.0,
                    outer_scale: float = None) -> np.ndarray:
    """Zero-mean, unit-std Gaussian field whose power spectrum falls as k**-beta.

    beta = 8/3 .. 11/3 gives Kolmogorov-like tropospheric turbulence; 3.5 .. 4 gives terrain.
    ``outer_scale`` (same unit as ``pixel``) flattens the spectrum at long wavelengths.
    """
    h, w = shape
    # pad to limit the periodic wrap-around of the FFT
    ph, pw = int(h * 1.25) + 8, int(w * 1.25) + 8
    ky = np.fft.fftfreq(ph, d=pixel)[:, None]
    kx = np.fft.rfftfreq(pw, d=pixel)[None, :]
    k = np.hypot(kx, ky)
    k0 = 1.0 / outer_scale if outer_scale else 1.0 / (max(ph, pw) * pixel)
    amp = (k * k + k0 * k0) ** (-beta / 4.0)
    amp[0, 0] = 0.0
    noise = rng.standard_normal((ph, pw // 2 + 1)) + 1j * rng.standard_normal((ph, pw // 2 + 1))
    field = np.fft.irfft2(noise * amp, s=(ph, pw))[:h, :w]
    field -= field.mean()
    std = field.std()
    return (field / std if std > 0 else field).astype("float32")


def smooth_mask(shape, rng: np.random.Generator, cover: float, correlation_px: float
                ) -> np.ndarray:
    """Soft 0..1 patches covering about ``cover`` of the area, blob size ~``correlation_px``."""
    f = power_law_field(shape, 4.0, rng, outer_scale=correlation_px * 2.0)
    threshold = np.quantile(f, 1.0 - cover)
    return np.clip((f - threshold) / (0.3 * f.std()) + 0.5, 0.0, 1.0).astype("float32")


def slope_aspect(dem: np.ndarray, pixel: float):
    """Slope (degrees) and downslope aspect (degrees clockwise from north) by central
    differences; rows run north to south as in a north-up raster."""
    dz_dy_rows, dz_dx = np.gradient(dem.astype("float64"), pixel)
    dz_dnorth = -dz_dy_rows
    slope = np.degrees(np.arctan(np.hypot(dz_dx, dz_dnorth)))
    aspect = (np.degrees(np.arctan2(-dz_dx, -dz_dnorth)) + 360.0) % 360.0
    return slope.astype("float32"), aspect.astype("float32")
