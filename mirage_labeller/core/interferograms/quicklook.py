"""PNG quick-looks of an interferogram: wrapped phase on the cyclic ramp, coherence, boxes.

matplotlib with the Agg backend only (no Qt), so it runs from the CLI and in tests.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import List, Optional, Sequence, Union

import numpy as np

from ..base.errors import InputError
from ..base.messages import Msg
from ..base.outputs import output_file
from ..base.palettes import matplotlib_cmap
from ..labels.classes import CLASSES
from ..labels.schema import Label
from .facts import (
    detect_coherence_encoding,
    detect_phase_encoding,
    grid_mismatch,
    read_raster_facts,
)


def read_for_display(path: Union[str, Path], kind: str, bounds=None, max_pixels: int = 1200):
    """(values, extent, encoding): phase in radians wrapped to [-pi, pi] or coherence 0-1,
    whatever the file's encoding, decimated to at most ``max_pixels`` per side; NaN = no data.
    ``bounds`` (xmin, ymin, xmax, ymax) crops to a ground extent. An encoding that cannot be
    trusted (a displacement map, values that are no coherence) is an InputError."""
    import rasterio
    from rasterio.windows import from_bounds

    facts = read_raster_facts(str(path), sample_size=256)
    encoding = (detect_phase_encoding if kind == "phase" else detect_coherence_encoding)(facts)
    if encoding.problems:
        raise InputError(encoding.problems[0], path=path)
    with rasterio.open(str(path)) as src:
        window = (from_bounds(*bounds, transform=src.transform).round_offsets().round_lengths()
                  if bounds else None)
        height = int(window.height) if window else src.height
        width = int(window.width) if window else src.width
        step = max(1, math.ceil(max(width, height) / max_pixels))
        data = src.read(1, window=window, out_shape=(max(1, height // step), max(1, width // step)),
                        masked=True, boundless=bool(window))
        b = src.window_bounds(window) if window else tuple(src.bounds)
    fill = encoding.nodata if encoding.nodata is not None else 0
    values = encoding.to_physical(data.filled(fill))
    values[np.ma.getmaskarray(data)] = np.nan
    return values, (b[0], b[2], b[1], b[3]), encoding


def render_quicklook(phase_path: Union[str, Path], out_png: Union[str, Path],
                     coherence_path: Optional[Union[str, Path]] = None,
                     labels: Sequence[Label] = (), title: Optional[str] = None,
                     max_pixels: int = 1200, bounds=None,
                     notes: Optional[List[str]] = None) -> Path:
    """``bounds`` (xmin, ymin, xmax, ymax) crops to a ground extent, e.g. around a label.
    ``notes`` collects what was read how (a complex or rescaled file) and why a coherence
    map was left out (not on the interferogram's grid, not coherence)."""
    # a bare Figure on the Agg canvas, not pyplot: safe from worker threads and inside QGIS
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    notes = [] if notes is None else notes
    phase, extent, encoding = read_for_display(phase_path, "phase", bounds, max_pixels)
    notes += encoding.messages
    name = "wrapped phase (rad)" + ("" if encoding.is_native else f", from {encoding.units}")
    panels = [(name, phase, extent, matplotlib_cmap(), -math.pi, math.pi)]
    if coherence_path:
        why = grid_mismatch(read_raster_facts(str(coherence_path), 64),
                            read_raster_facts(str(phase_path), 64))
        try:
            if why:
                raise InputError(why, path=coherence_path)
            coherence, extent, coh_enc = read_for_display(coherence_path, "coherence", bounds,
                                                          max_pixels)
            notes += coh_enc.messages
            panels.append(("coherence", coherence, extent, "gray", 0.0, 1.0))
        except InputError as exc:
            notes.append(Msg("coherence left out: {problem}", problem=exc.message))
    fig = Figure(figsize=(6.6 * len(panels), 6.0), constrained_layout=True)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, len(panels), squeeze=False)
    for ax, (name, data, extent, cmap, lo, hi) in zip(axes[0], panels):
        im = ax.imshow(np.ma.masked_invalid(data), extent=extent, cmap=cmap, vmin=lo, vmax=hi,
                       interpolation="nearest")
        fig.colorbar(im, ax=ax, shrink=0.8, label=name)
        for lab in labels:
            colour = CLASSES[lab.cls].colour if lab.cls in CLASSES else "red"
            ax.add_patch(Rectangle((lab.xmin, lab.ymin), lab.xmax - lab.xmin,
                                   lab.ymax - lab.ymin, fill=False, lw=1.6, ec=colour))
            ax.text(lab.xmin, lab.ymax, f"{lab.cls}{lab.id or ''}", color=colour, fontsize=8,
                    va="bottom", fontweight="bold")
        ax.set_xlabel("easting (m)")
        ax.set_ylabel("northing (m)")
        ax.ticklabel_format(style="plain", useOffset=False)
    fig.suptitle(title or Path(phase_path).name, fontsize=11)
    out_png = Path(out_png)
    with output_file(out_png) as tmp:
        fig.savefig(tmp, dpi=90)
    return out_png
