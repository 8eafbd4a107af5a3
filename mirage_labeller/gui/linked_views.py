"""Side by side: 2-4 map canvases that follow the main map's centre and scale, each showing
one layer of the interferogram on show (wrapped phase, coherence, hillshade, slope, ...), the
labels and the candidate, with one cursor cross marking the same ground point everywhere.

A workspace's tile basemap (``basemaps/*.xyz``) is drawn in a view only once the user has
picked it there in this QGIS session: the choice names the server it would contact, and a
choice restored from the workspace's saved state (which may come with someone else's data)
does not by itself contact it."""
from __future__ import annotations

from typing import Dict, List, Optional

from qgis.core import QgsMapLayer, QgsProject, QgsRasterLayer
from qgis.gui import QgsDockWidget, QgsMapCanvas, QgsVertexMarker
from qgis.PyQt import sip
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ..i18n import translate
from .basemaps import tile_host
from .label_layer import ROLE
from .overlays import BoxOverlay

MAX_VIEWS = 4


TR_CONTEXT = "LinkedViews"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


def _N(text: str) -> str:  # noqa: N802 - the marker tools/make_ts.py looks for
    """A layer kind translated where shown; marked here for tools/make_ts.py."""
    return text


_KINDS = (_N("phase"), _N("coherence"), _N("hillshade"), _N("slope"), _N("aspect"),
          _N("profile_curvature"), _N("plan_curvature"), _N("tri"), _N("twi"))


def _shown(kind: str) -> str:
    """A view's choice as shown: our kinds in the user's language, project layers named
    "project: <name>"; the settings keep the untranslated kind."""
    if kind.startswith("project: "):
        return _tr("project: {name}").format(name=kind[len("project: "):])
    return _tr(kind) if kind in _KINDS else kind


class _View(QWidget):
    def __init__(self, parent, on_choice, on_pick):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(1)
        self.combo = QComboBox(self)
        self.combo.currentIndexChanged.connect(lambda _: on_choice(self))
        # picking the entry already shown (a basemap restored from the saved state) is a
        # choice too, which currentIndexChanged does not report
        self.combo.activated.connect(lambda _: on_pick(self))
        self.canvas = QgsMapCanvas(self)
        self.canvas.setCanvasColor(QColor(40, 40, 40))
        self.canvas.enableAntiAliasing(True)
        self.canvas.setPreviewJobsEnabled(False)
        self.empty = QLabel("", self.canvas)
        self.empty.setStyleSheet("color: #dddddd; padding: 6px;")
        self.cross = QgsVertexMarker(self.canvas)
        self.cross.setIconType(QgsVertexMarker.IconType.ICON_CROSS)
        self.cross.setIconSize(18)
        self.cross.setPenWidth(2)
        self.cross.setColor(QColor(255, 0, 0))
        self.cross.hide()
        self.overlay: Optional[BoxOverlay] = None
        layout.addWidget(self.combo)
        layout.addWidget(self.canvas, 1)


class LinkedViews(QgsDockWidget):
    def __init__(self, iface, parent=None):
        super().__init__(_tr("MIRAGE linked views"), parent)
        self.setObjectName("MirageLabellerLinkedViews")
        self.iface = iface
        self.main = iface.mapCanvas()
        self.session = None
        self.sources: Dict[str, QgsMapLayer] = {}
        self.overlays: List[QgsMapLayer] = []  # labels and inventories, over every view
        self.choices: List[str] = ["phase", "coherence", "hillshade", "slope"]
        self.picked = set()  # sources of tile layers the user chose in a view (this session)
        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(2, 2, 2, 2)
        header = QHBoxLayout()
        header.addWidget(QLabel(_tr("Views")))
        self.count = QSpinBox(body)
        self.count.setRange(2, MAX_VIEWS)
        self.count.setValue(4)
        self.count.setToolTip(_tr("Number of linked views (2-4)"))
        header.addWidget(self.count)
        header.addStretch(1)
        outer.addLayout(header)
        row = QHBoxLayout()
        self.views = [_View(body, self._choice_changed, self._picked)
                      for _ in range(MAX_VIEWS)]
        for view in self.views:
            row.addWidget(view, 1)
            view.canvas.xyCoordinates.connect(self._cursor)
        outer.addLayout(row, 1)
        self.setWidget(body)
        self.count.valueChanged.connect(self._show_count)
        self.main.extentsChanged.connect(self.follow)
        self.main.destinationCrsChanged.connect(self.follow)
        self.main.xyCoordinates.connect(self._cursor)
        QgsProject.instance().layersAdded.connect(self._project_changed)
        QgsProject.instance().layersRemoved.connect(self._project_changed)
        self.main_cross = QgsVertexMarker(self.main)
        self.main_cross.setIconType(QgsVertexMarker.IconType.ICON_CROSS)
        self.main_cross.setIconSize(18)
        self.main_cross.setPenWidth(2)
        self.main_cross.setColor(QColor(255, 0, 0))
        self.main_cross.hide()
        self._show_count(self.count.value())

    # -------------------------------------------------------------- content
    def set_session(self, session) -> None:
        for view in self.views:
            if view.overlay is not None:
                view.overlay.remove()
                view.overlay = None
        self.session = session
        if session is not None:
            for view in self.views:
                view.overlay = BoxOverlay(view.canvas, session)
            self.count.setValue(min(max(session.state.settings.view_count, 2), MAX_VIEWS))

    def set_sources(self, sources: Dict[str, QgsMapLayer], overlays: List[QgsMapLayer],
                    choices=None) -> None:
        """Layers each view may show, by kind, and the vector layers drawn over all of them;
        keeps each view's choice where possible."""
        self.sources = dict(sources)
        self.overlays = list(overlays)
        if choices:
            self.choices = list(choices)
        self._fill_combos()
        for view in self.views:
            self._apply(view)
        self.follow()

    def _project_rasters(self) -> Dict[str, QgsMapLayer]:
        """Other raster layers of the project (an orthophoto, an XYZ basemap the user added),
        offered as "project: <name>"."""
        self._alive()
        ours = {lyr.id() for lyr in self.sources.values()}
        return {f"project: {lyr.name()}": lyr for lyr in QgsProject.instance().mapLayers().values()
                if isinstance(lyr, QgsRasterLayer) and lyr.id() not in ours
                and not lyr.customProperty(ROLE)}

    def _fill_combos(self, *_) -> None:
        rasters = self._project_rasters()
        kinds = list(self.sources) + list(rasters)
        local = [k for k in kinds if self._host(k) is None]  # fill-ins fetch nothing
        for i, view in enumerate(self.views):
            wanted = self.choices[i] if i < len(self.choices) else (local[i] if i < len(local)
                                                                     else "")
            view.combo.blockSignals(True)
            view.combo.clear()
            for kind in kinds + ([wanted] if wanted and wanted not in kinds else []):
                host = self._host(kind)
                if host is None:
                    view.combo.addItem(_shown(kind), kind)  # the data is what settings keep
                    continue
                view.combo.addItem(_tr("{layer} ({host})").format(layer=_shown(kind),
                                                                  host=host), kind)
                view.combo.setItemData(view.combo.count() - 1, _tr(
                    "Fetches map tiles from {host} when shown in this view").format(host=host),
                    Qt.ItemDataRole.ToolTipRole)
            view.combo.setCurrentIndex(max(0, view.combo.findData(wanted)))
            view.combo.blockSignals(False)

    def _host(self, kind: str) -> Optional[str]:
        """The tile server of one of our sources (None for local data and project layers,
        which the user added to the project)."""
        return tile_host(self.sources.get(kind))

    def _project_changed(self, *_) -> None:
        self._fill_combos()
        for view in self.views:
            self._apply(view)

    def _choice_changed(self, view) -> None:
        """The user picked ``view``'s entry (programmatic fills block the combo's signals)."""
        layer = self.sources.get(view.combo.currentData() or "")
        if tile_host(layer):
            self.picked.add(layer.source())
        index = self.views.index(view)
        while len(self.choices) <= index:
            self.choices.append("")
        self.choices[index] = view.combo.currentData() or ""
        self._apply(view)
        if self.session is not None:
            self.session.state.settings.views = list(self.choices[:self.count.value()])
            self.session.stateChanged.emit()

    def _picked(self, view) -> None:
        """The user picked ``view``'s entry, perhaps the one already shown: a tile basemap
        restored from the saved state is drawn from now on."""
        layer = self.sources.get(view.combo.currentData() or "")
        if tile_host(layer) and layer.source() not in self.picked:
            self._choice_changed(view)

    def _alive(self) -> None:
        """Forget layers the project has already deleted (a removal signal can arrive while
        the workspace is swapping its layers)."""
        self.overlays = [lyr for lyr in self.overlays if not sip.isdeleted(lyr)]
        self.sources = {k: lyr for k, lyr in self.sources.items() if not sip.isdeleted(lyr)}

    def _apply(self, view) -> None:
        self._alive()
        kind = view.combo.currentData() or ""
        layer = self.sources.get(kind) or self._project_rasters().get(kind)
        host = self._host(kind)
        waiting = host is not None and layer.source() not in self.picked
        shown = layer is not None and not waiting
        view.canvas.setLayers(self.overlays + ([layer] if shown else []))
        if waiting:
            view.empty.setText(_tr("{layer} would fetch map tiles from {host}: pick it in the "
                                   "list above to show it").format(layer=_shown(kind),
                                                                   host=host))
        else:
            view.empty.setText("" if layer is not None else _tr(
                "{layer}: not available in this workspace").format(
                layer=_shown(kind) if kind else _tr("this layer")))
        view.empty.adjustSize()
        view.canvas.refresh()

    def _show_count(self, n: int) -> None:
        for i, view in enumerate(self.views):
            view.setVisible(i < n)
        self.follow()
        if self.session is not None and self.session.state.settings.view_count != n:
            self.session.state.settings.view_count = n
            self.session.stateChanged.emit()

    # -------------------------------------------------------------- linking
    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        self.follow()

    def follow(self, *_) -> None:
        if not self.isVisible():
            return  # hidden canvases have no size; showEvent catches up
        crs = self.main.mapSettings().destinationCrs()
        centre, scale = self.main.center(), self.main.scale()
        for view in self.views[:self.count.value()]:
            if view.canvas.mapSettings().destinationCrs() != crs:
                view.canvas.setDestinationCrs(crs)
            view.canvas.setExtent(self.main.extent())  # a canvas with no extent cannot zoom
            view.canvas.zoomScale(scale)
            view.canvas.setCenter(centre)
            view.canvas.refresh()

    def _cursor(self, point) -> None:
        """Mark the ground point under the cursor (main map or any view) in every canvas."""
        self.main_cross.setCenter(point)
        self.main_cross.setVisible(self.sender() is not self.main)
        for view in self.views:
            view.cross.setCenter(point)
            view.cross.setVisible(view.canvas is not self.sender())

    def cleanup(self) -> None:
        project = QgsProject.instance()
        for signal, slot in ((self.main.extentsChanged, self.follow),
                             (self.main.destinationCrsChanged, self.follow),
                             (self.main.xyCoordinates, self._cursor),
                             (project.layersAdded, self._project_changed),
                             (project.layersRemoved, self._project_changed)):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass
        self.set_session(None)
        self.main.scene().removeItem(self.main_cross)
