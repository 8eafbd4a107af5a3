"""The raster checks: each box on its interferogram (footprint, nodata, coherence over more
than ``MOSTLY``, half, of the box) and rasters that cannot be trusted (``raster_damage``).

Boxes are compared in the raster's CRS (``base.crs``): as they are when either CRS is unknown
or cannot be read, outside the raster when PROJ cannot bring them into its CRS.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Optional, Sequence, Union

import numpy as np

from ...base import crs as base_crs
from ...base.messages import Msg
from .files import RawLabel, _FileAudit
from .findings import ERROR, WARNING, _short

MOSTLY = 0.5


def _raster_checks(fa: _FileAudit, records: Sequence[RawLabel], item, label_crs,
                   threshold: float) -> None:
    """Footprint, nodata and coherence of each box on its interferogram."""
    import rasterio

    from ...interferograms.facts import (
        detect_coherence_encoding,
        detect_phase_encoding,
        grid_mismatch,
        read_raster_facts,
    )

    boxed = [r for r in records if r.bounds is not None and
             (r.bounds[2] - r.bounds[0]) * (r.bounds[3] - r.bounds[1]) > 0]
    if not boxed:
        return
    try:
        facts = read_raster_facts(str(item.path), 256)
        encoding = detect_phase_encoding(facts)
        src = rasterio.open(str(item.path))
    except Exception as exc:  # noqa: BLE001
        fa.add(ERROR, "raster.unreadable", Msg("{name}: the interferogram of {name2} "
                                               "cannot be read ({why})",
                                               name=item.path.name, name2=fa.name,
                                               why=_short(exc)))
        return
    coh = coh_enc = None
    if item.coherence is not None:
        try:
            coh_facts = read_raster_facts(str(item.coherence), 256)
            coh_enc = detect_coherence_encoding(coh_facts)
            why = (coh_enc.problems[0] if coh_enc.problems
                   else grid_mismatch(coh_facts, facts))
            if why:
                fa.add(WARNING, "raster.coherence", Msg("{problem}; the coherence of {name} "
                                                        "is not checked", problem=why,
                                                        name=fa.name))
                coh_enc = None
            elif coh_enc.units == "percent":  # unusual enough to be looked at
                fa.add(WARNING, "raster.coherence", coh_enc.messages[0])
            else:
                coh = rasterio.open(str(item.coherence))
        except Exception as exc:  # noqa: BLE001
            fa.add(WARNING, "raster.unreadable", Msg("{name}: the coherence map of {name2} "
                                                     "cannot be read ({why})",
                                                     name=item.coherence.name, name2=fa.name,
                                                     why=_short(exc)))
    try:
        for raw in boxed:
            try:
                _raster_check_one(fa, raw, item, label_crs, src, coh, coh_enc, encoding,
                                  threshold)
            except Exception as exc:  # noqa: BLE001 - this label's finding, not the file's
                fa.add(ERROR, "audit.failed", Msg("{name}: label {label_id} not checked on "
                                                  "{name2} ({why})",
                                                  name=fa.name, label_id=raw.label_id,
                                                  name2=item.path.name, why=_short(exc)),
                                                  raw.label_id, raw.bounds)
    finally:
        src.close()
        if coh is not None:
            coh.close()


def _raster_check_one(fa, raw, item, label_crs, src, coh, coh_enc, encoding, threshold):
    from rasterio.errors import WindowError
    from rasterio.windows import Window, from_bounds

    whole = Window(0, 0, src.width, src.height)
    lid = raw.label_id
    box = _to_raster_crs(raw.bounds, label_crs, src.crs)
    left, bottom, right, top = src.bounds
    inter_w = min(box[2], right) - max(box[0], left)
    inter_h = min(box[3], top) - max(box[1], bottom)
    area = (box[2] - box[0]) * (box[3] - box[1])
    inside = max(inter_w, 0) * max(inter_h, 0) / area if area > 0 else 0.0
    if inside <= 0:
        fa.add(ERROR, "geometry.outside", Msg("{name}: label {lid} lies outside its "
                                              "interferogram {name2}",
                                              name=fa.name, lid=lid, name2=item.path.name),
                                              lid, raw.bounds)
        return
    if inside < 0.999:
        fa.add(WARNING, "geometry.partly_outside", Msg("{name}: label {lid} is {value:.0%} "
                                                       "outside its interferogram",
                                                       name=fa.name, lid=lid, value=1 - inside),
                                                       lid, raw.bounds)
    window = from_bounds(*box, transform=src.transform).round_offsets().round_lengths()
    try:  # the part over the raster only: a huge box must not allocate its size
        window = window.intersection(whole)
    except WindowError:
        return
    data = src.read(1, window=window, masked=True)
    values = np.ma.filled(data.astype("float64"), np.nan)
    nodata = ~np.isfinite(values) | np.ma.getmaskarray(data)
    if encoding.nodata is not None:
        nodata |= values == encoding.nodata
    if nodata.size and nodata.mean() > MOSTLY:
        fa.add(WARNING, "raster.mostly_nodata", Msg("{name}: label {lid}: {mean:.0%} of "
                                                    "the box is nodata in {name2}",
                                                    name=fa.name, lid=lid, mean=nodata.mean(),
                                                    name2=item.path.name), lid,
               raw.bounds)
    if coh is not None:
        cbox = _to_raster_crs(raw.bounds, label_crs, coh.crs)
        cwin = from_bounds(*cbox, transform=coh.transform).round_offsets().round_lengths()
        try:
            cwin = cwin.intersection(Window(0, 0, coh.width, coh.height))
        except WindowError:
            return
        craw = np.ma.filled(coh.read(1, window=cwin, masked=True)
                            .astype("float64"), np.nan)
        c = craw * coh_enc.scale + coh_enc.offset
        if coh_enc.nodata is not None:
            c[craw == coh_enc.nodata] = np.nan
        c = c[np.isfinite(c)]
        if c.size and (c < threshold).mean() > MOSTLY:
            fa.add(WARNING, "raster.low_coherence", Msg("{name}: label {lid}: {mean:.0%} "
                                                        "of the box is below coherence "
                                                        "{threshold:g}",
                                                        name=fa.name, lid=lid,
                                                        mean=(c < threshold).mean(),
                                                        threshold=threshold), lid, raw.bounds)


def raster_damage(path: Union[str, Path]) -> Optional[str]:
    """Why a GeoTIFF cannot be trusted (header, or a block beyond the end of the file), or
    None. Metadata only: cheap on large rasters."""
    from osgeo import gdal

    path = Path(path)
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        ds = gdal.Open(str(path), gdal.GA_ReadOnly)
        if ds is None:
            return f"{path.name}: GDAL cannot open it ({gdal.GetLastErrorMsg() or 'unknown'})"
        if ds.GetDriver().ShortName != "GTiff":
            return None
        size = path.stat().st_size
        band = ds.GetRasterBand(1)
        bx, by = band.GetBlockSize()
        nx, ny = -(-ds.RasterXSize // bx), -(-ds.RasterYSize // by)
        for y in range(ny):
            for x in range(nx):
                offset = band.GetMetadataItem(f"BLOCK_OFFSET_{x}_{y}", "TIFF")
                length = band.GetMetadataItem(f"BLOCK_SIZE_{x}_{y}", "TIFF")
                if offset is None or length is None:
                    continue
                if int(offset) + int(length) > size:
                    return (f"{path.name}: data block ({x}, {y}) lies beyond the end of the "
                            f"file ({size} bytes): truncated")
        return None
    finally:
        gdal.PopErrorHandler()
        ds = None


def _to_raster_crs(bounds, label_crs, raster_crs):
    if label_crs is None or raster_crs is None:
        return bounds
    try:
        base_crs.parse(label_crs), base_crs.parse(raster_crs)
    except base_crs.CrsError:  # an odd CRS: compare as they are
        return bounds
    try:
        return base_crs.convert_bounds(bounds, label_crs, raster_crs)
    except base_crs.CrsError:  # beyond what the raster's CRS can show: on no raster
        return (math.inf,) * 4
