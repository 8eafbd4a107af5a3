"""The N-S box map tool: press-drag-release draws a candidate; handles move and resize it or
a confirmed label; a click selects a label. Snapping and handle rules are core.box_geometry's.

Keys pressed while the canvas has the focus go to the session through the shared keymap.
"""
from __future__ import annotations

from typing import Callable, Optional, Tuple

from qgis.core import (
    QgsCoordinateTransform,
    QgsCsException,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsWkbTypes,
)
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QCursor

from ..core.labels.box_geometry import MOVE, box_from_corners, drag, handle_at
from .qgis_crs import label_crs_of

Bounds = Tuple[float, float, float, float]
HANDLE_PX = 6  # how close (screen pixels) the cursor must be to an edge to grab it
CLICK_PX = 3  # a press and release closer than this is a click, not a drag

_CURSORS = {"n": Qt.CursorShape.SizeVerCursor, "s": Qt.CursorShape.SizeVerCursor,
            "e": Qt.CursorShape.SizeHorCursor, "w": Qt.CursorShape.SizeHorCursor,
            "ne": Qt.CursorShape.SizeBDiagCursor, "sw": Qt.CursorShape.SizeBDiagCursor,
            "nw": Qt.CursorShape.SizeFDiagCursor, "se": Qt.CursorShape.SizeFDiagCursor,
            MOVE: Qt.CursorShape.SizeAllCursor}


class BoxTool(QgsMapTool):
    def __init__(self, canvas, session, on_key: Callable[[object], bool]):
        super().__init__(canvas)
        self.session = session
        self.on_key = on_key
        self._press_screen = None
        self._press_map: Optional[QgsPointXY] = None
        self._drag: Optional[Tuple[object, str, Bounds]] = None  # target, handle, bounds
        self._preview = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        self._preview.setColor(QColor(255, 255, 255, 230))
        self._preview.setFillColor(QColor(255, 255, 255, 40))
        self._preview.setWidth(2)
        self._preview.setLineStyle(Qt.PenStyle.DashLine)
        self.setCursor(QCursor(Qt.CursorShape.CrossCursor))

    # -------------------------------------------------------------- coordinates
    def _to_label(self, point: QgsPointXY) -> Optional[QgsPointXY]:
        """The canvas point in the label CRS; None where it cannot be transformed (beyond
        the CRS's area, e.g. past 180 degrees)."""
        src = self.canvas().mapSettings().destinationCrs()
        dst = label_crs_of(self.session)
        if not src.isValid() or src == dst or not dst.isValid():
            return point
        try:
            return QgsCoordinateTransform(src, dst, QgsProject.instance()).transform(point)
        except QgsCsException:
            return None

    def _tolerance(self) -> float:
        """HANDLE_PX screen pixels in label-CRS units (approximately, near the cursor)."""
        upp = self.canvas().mapUnitsPerPixel()
        centre = self.canvas().center()
        a = self._to_label(centre)
        b = self._to_label(QgsPointXY(centre.x() + upp, centre.y()))
        if a is None or b is None:
            return HANDLE_PX * upp
        return HANDLE_PX * max(abs(b.x() - a.x()), abs(b.y() - a.y()))

    def _editable(self):
        """(target, bounds) that handles act on: the candidate, else the selected label."""
        if self.session.candidate is not None:
            return "candidate", self.session.candidate
        lab = self.session.selected_label()
        if lab is not None:
            return lab.id, lab.bounds
        return None, None

    def _label_at(self, p: QgsPointXY) -> Optional[int]:
        hits = [lab for lab in self.session.labels()
                if lab.xmin <= p.x() <= lab.xmax and lab.ymin <= p.y() <= lab.ymax]
        if not hits:
            return None
        # the smallest: nested boxes stay reachable
        return min(hits, key=lambda lab: lab.area_m2).id

    # -------------------------------------------------------------- mouse
    def canvasPressEvent(self, event):  # noqa: N802
        """On the candidate or the selected label, a press grabs a handle (or the inside, to
        move it); anywhere else it starts a new box, even inside another label (nested
        signals). A click without drag selects the smallest label under the cursor."""
        if event.button() != Qt.MouseButton.LeftButton:
            return
        p = self._to_label(event.mapPoint())
        if p is None:
            return
        self._press_screen = event.pos()
        self._press_map = p
        target, bounds = self._editable()
        handle = handle_at(bounds, p.x(), p.y(), self._tolerance()) if bounds else None
        self._drag = (target, handle, bounds) if handle else None

    def canvasMoveEvent(self, event):  # noqa: N802
        p = self._to_label(event.mapPoint())
        if p is None:
            return
        if self._press_map is None:
            target, bounds = self._editable()
            handle = handle_at(bounds, p.x(), p.y(), self._tolerance()) if bounds else None
            self.canvas().setCursor(QCursor(_CURSORS.get(handle, Qt.CursorShape.CrossCursor)))
            return
        if not self._moved(event):
            return
        if self._drag:
            _, handle, bounds = self._drag
            b = drag(bounds, handle, p.x() - self._press_map.x(), p.y() - self._press_map.y(),
                     self.session.grid)
        else:
            b = box_from_corners(self._press_map.x(), self._press_map.y(), p.x(), p.y(),
                                 self.session.grid)
        self._show_preview(b)

    def canvasReleaseEvent(self, event):  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._press_map is None:
            return
        start, self._press_map = self._press_map, None
        moved = self._moved(event)
        self._preview.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        drag_info, self._drag = self._drag, None
        p = self._to_label(event.mapPoint())
        if not moved or p is None:
            if self.session.candidate is None:
                self.session.select_label(self._label_at(start))
            return
        if drag_info:
            target, handle, bounds = drag_info
            new = drag(bounds, handle, p.x() - start.x(), p.y() - start.y(), self.session.grid)
            if target == "candidate":
                self.session.set_candidate(new)
            else:
                self.session.move_label(target, new)
            return
        self.session.set_candidate(box_from_corners(start.x(), start.y(), p.x(), p.y(),
                                                    self.session.grid))

    def _moved(self, event) -> bool:
        if self._press_screen is None:
            return False
        d = event.pos() - self._press_screen
        return abs(d.x()) + abs(d.y()) >= CLICK_PX

    def _show_preview(self, b: Bounds) -> None:
        self._preview.setToGeometry(QgsGeometry.fromRect(QgsRectangle(*b)),
                                    label_crs_of(self.session))

    # -------------------------------------------------------------- keys
    def keyPressEvent(self, event):  # noqa: N802
        if self.on_key(event):
            event.accept()
        else:
            event.ignore()

    def deactivate(self):
        self._preview.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        self._press_map = None
        self._drag = None
        super().deactivate()

    def cleanup(self) -> None:
        """Take the preview off the canvas; the tool is not used again."""
        self.canvas().scene().removeItem(self._preview)
        self.on_key = lambda event: False
