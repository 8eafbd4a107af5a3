"""A CRS as core gives it, for QGIS: labels carry their own CRS (an EPSG code, "EPSG:n" or
WKT, from the label file or the interferogram; core.base.crs), and boxes go to the map in the
map's CRS through a QgsCoordinateTransform."""
from __future__ import annotations

from typing import Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsProject,
    QgsRectangle,
)


def qgs_crs(crs) -> QgsCoordinateReferenceSystem:
    """An EPSG code, ``"EPSG:n"`` or WKT; an invalid CRS for None (unknown)."""
    if crs is None or crs == "":
        return QgsCoordinateReferenceSystem()
    if isinstance(crs, int):
        return QgsCoordinateReferenceSystem.fromEpsgId(crs)
    text = str(crs)
    if text.upper().startswith("EPSG:"):
        return QgsCoordinateReferenceSystem(text)
    return QgsCoordinateReferenceSystem.fromWkt(text)


def label_crs_of(session) -> QgsCoordinateReferenceSystem:
    """The CRS of the labels of the interferogram on show."""
    return qgs_crs(session.label_crs)


def to_canvas(rect: QgsRectangle, crs, canvas) -> Optional[QgsRectangle]:
    """``rect`` (in ``crs``: anything ``qgs_crs`` takes, or a QGIS CRS) in the map canvas's
    CRS; as it is when either CRS is unknown or they are the same; None when it cannot be
    converted (beyond the CRS's area)."""
    source = crs if isinstance(crs, QgsCoordinateReferenceSystem) else qgs_crs(crs)
    target = canvas.mapSettings().destinationCrs()
    if not source.isValid() or not target.isValid() or source == target:
        return rect
    try:
        out = QgsCoordinateTransform(source, target, QgsProject.instance()) \
            .transformBoundingBox(rect)
    except QgsCsException:
        return None
    return out if out.isFinite() and not out.isEmpty() else None
