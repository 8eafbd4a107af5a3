"""The label store's CRS rule: in which CRS the labels of an interferogram are written.

MIRAGE's labels are in EPSG:32632 (UTM 32N, the Alps and northern Apennines), and labels of an
interferogram in EPSG:32632 - or of one without a CRS - are written so. Anywhere else a label
file keeps metric N-S boxes in the interferogram's own terms: its projected CRS when it has
one, else (a product in degrees) the UTM zone of its centre. This module is the one place
that names EPSG:32632 as a default: everything else carries the CRS with the data
(core.base.crs).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..base.crs import utm_epsg
from .schema import MIRAGE_EPSG


@dataclass(frozen=True)
class CrsChoice:
    epsg: Optional[int]
    wkt: Optional[str]
    reason: str


def label_crs_from(epsg: Optional[int], wkt: Optional[str], is_geographic: bool,
                   is_projected: bool, centre_lonlat) -> CrsChoice:
    """The rule from the interferogram's CRS properties alone (QGIS knows them without
    reading pixels; ``interferograms.facts.label_crs_for`` applies it to a raster's facts)."""
    if epsg is None and not wkt:
        return CrsChoice(MIRAGE_EPSG, None,
                         f"EPSG:{MIRAGE_EPSG} as in MIRAGE (no raster CRS known)")
    if epsg == MIRAGE_EPSG:
        return CrsChoice(MIRAGE_EPSG, None, f"EPSG:{MIRAGE_EPSG} as in MIRAGE")
    if is_projected:
        label = f"EPSG:{epsg}" if epsg else "its custom projected CRS"
        return CrsChoice(epsg, None if epsg else wkt,
                         f"the interferogram's projected CRS ({label})")
    if is_geographic and centre_lonlat is not None:
        zone = utm_epsg(*centre_lonlat)
        return CrsChoice(zone, None,
                         f"EPSG:{zone}, the UTM zone of the interferogram, which is geographic")
    return CrsChoice(MIRAGE_EPSG, None,
                     f"EPSG:{MIRAGE_EPSG} as in MIRAGE (the raster's CRS is not usable)")
