"""What the session shows on a map canvas besides layers: the candidate box with its handles
and the outline of the selected label. One overlay per canvas (main map and linked views)."""
from __future__ import annotations

from typing import Optional, Tuple

from qgis.core import (
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsWkbTypes,
)
from qgis.gui import QgsRubberBand, QgsVertexMarker
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from .qgis_crs import label_crs_of

Bounds = Tuple[float, float, float, float]


class BoxOverlay:
    def __init__(self, canvas, session):
        self.canvas = canvas
        self.session = session
        self.halo = self._band(QColor(0, 0, 0, 200), 4, Qt.PenStyle.SolidLine)
        self.box = self._band(QColor(255, 255, 0), 2, Qt.PenStyle.DashLine)
        self.selected = self._band(QColor(255, 255, 255), 3, Qt.PenStyle.SolidLine)
        self.handles = []
        session.candidateChanged.connect(self.update)
        session.selectionChanged.connect(self.update)
        session.labelsChanged.connect(self.update)
        self.update()

    def _band(self, colour, width, style) -> QgsRubberBand:
        band = QgsRubberBand(self.canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        band.setColor(colour)
        band.setFillColor(QColor(0, 0, 0, 0))
        band.setWidth(width)
        band.setLineStyle(style)
        return band

    def _set(self, band: QgsRubberBand, bounds: Optional[Bounds]) -> None:
        if bounds is None:
            band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        else:
            band.setToGeometry(QgsGeometry.fromRect(QgsRectangle(*bounds)),
                               label_crs_of(self.session))

    def update(self, *_):
        candidate = self.session.candidate
        lab = self.session.selected_label() if candidate is None else None
        self._set(self.halo, candidate)
        self._set(self.box, candidate)
        self._set(self.selected, lab.bounds if lab else None)
        self._clear_handles()
        target = candidate or (lab.bounds if lab else None)
        if target is not None:
            x0, y0, x1, y1 = target
            xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
            for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1), (xm, y0), (xm, y1), (x0, ym),
                         (x1, ym)):
                marker = QgsVertexMarker(self.canvas)
                marker.setIconType(QgsVertexMarker.IconType.ICON_BOX)
                marker.setIconSize(7)
                marker.setPenWidth(2)
                marker.setColor(QColor(0, 0, 0))
                marker.setFillColor(QColor(255, 255, 0) if candidate else QColor(255, 255, 255))
                marker.setCenter(self._to_canvas(QgsPointXY(x, y)))
                self.handles.append(marker)

    def _to_canvas(self, p: QgsPointXY) -> QgsPointXY:
        src = label_crs_of(self.session)
        dst = self.canvas.mapSettings().destinationCrs()
        if src == dst or not src.isValid():
            return p
        return QgsCoordinateTransform(src, dst, QgsProject.instance()).transform(p)

    def _clear_handles(self):
        for marker in self.handles:
            self.canvas.scene().removeItem(marker)
        self.handles = []

    def remove(self):
        for signal in (self.session.candidateChanged, self.session.selectionChanged,
                       self.session.labelsChanged):
            try:
                signal.disconnect(self.update)
            except TypeError:
                pass
        self._clear_handles()
        for band in (self.halo, self.box, self.selected):
            self.canvas.scene().removeItem(band)
