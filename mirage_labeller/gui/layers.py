"""The layer-tree group of an open workspace and the layers of the interferogram on show.

    MIRAGE: <workspace>
      labels <IFG>            memory mirror of the label file
      low coherence < 0.2     optional semi-transparent mask
      phase <IFG>             cyclic ramp
      coherence <IFG>         greyscale (hidden; shown in a linked view)
      terrain/                hillshade and DEM-derived layers
      inventories/            vector layers of the workspace's inventories/ folder
      basemaps/               orthophotos and XYZ sources of basemaps/ (unchecked)

Basemaps are choices for a linked view, never drawn on their own: an XYZ source contacts its
tile server only once a user picks it in a view (a workspace may come from anyone, and its
``*.xyz`` files name the server).

Pixels are never read on the GUI thread: layers appear at once with the usual encoding
(radians, coherence 0-1); a background task reads the value ranges and restyles if the file
turns out to hold degrees, scaled integers or unwrapped phase.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Dict, List, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsLayerTreeGroup,
    QgsMapLayer,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QElapsedTimer

from ..core.interferograms.coherence import quick_coherence_stats
from ..core.interferograms.facts import (
    RasterReadError,
    ValueEncoding,
    detect_coherence_encoding,
    detect_phase_encoding,
    label_crs_from,
    phase_vrt,
    read_raster_facts_cached,
)
from ..core.interferograms.workspace import VECTOR_EXTENSIONS, Workspace, WorkspaceInterferogram
from ..core.labels.box_geometry import Grid
from ..i18n import translate
from . import label_layer, styles
from .basemaps import basemap_layer, tile_host
from .label_layer import ROLE
from .tasks import TaskRunner

TR_CONTEXT = "WorkspaceLayers"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


RADIANS = ValueEncoding("phase", "radians")
COHERENCE_0_1 = ValueEncoding("coherence", "0..1")


class WorkspaceLayers:
    """Owns one group "MIRAGE: <workspace>"; showing an interferogram swaps its layers."""

    def __init__(self, workspace: Workspace, project: Optional[QgsProject] = None):
        self.workspace = workspace
        self.project = project or QgsProject.instance()
        root = self.project.layerTreeRoot()
        self.group = root.insertGroup(0, f"MIRAGE: {workspace.root.name}")
        self.group.setCustomProperty(ROLE, "workspace")
        self._ifg_ids: List[str] = []
        self.labels_layer: Optional[QgsVectorLayer] = None
        self.phase_layer: Optional[QgsRasterLayer] = None
        self.coherence_layer: Optional[QgsRasterLayer] = None
        self.mask_layer: Optional[QgsRasterLayer] = None
        self.terrain: Dict[str, QgsMapLayer] = {}
        self.inventories: Dict[str, QgsMapLayer] = {}  # drawn over every linked view
        self.basemaps: Dict[str, QgsMapLayer] = {}  # orthophotos, XYZ: choices for a view
        self.coherence_stats = None
        self.current: Optional[WorkspaceInterferogram] = None
        self.opening = TaskRunner("MIRAGE: opening")  # the rasters; a newer show supersedes
        self.reading = TaskRunner("MIRAGE: reading")  # their value ranges
        self._coherence_encoding = COHERENCE_0_1
        self.processes: Optional[QgsVectorLayer] = None
        self.reference: Optional[QgsVectorLayer] = None
        self.problems: List[str] = []  # files of the workspace's extras that were skipped
        self.notes: List[str] = []  # what the user should know (the hosts of tile sources)
        self._add_static_layers()

    # -------------------------------------------------------------- building
    def _adopt(self, layer: QgsMapLayer, group: QgsLayerTreeGroup, position=None, role="layer"):
        layer.setCustomProperty(ROLE, role)
        self.project.addMapLayer(layer, False)
        node = group.insertLayer(position, layer) if position is not None else group.addLayer(layer)
        node.setExpanded(False)
        return layer

    def _subgroup(self, name: str) -> QgsLayerTreeGroup:
        found = self.group.findGroup(name)
        if found is None:
            found = self.group.addGroup(name)
            found.setCustomProperty(ROLE, name)
            found.setExpanded(False)
        return found

    def _add_static_layers(self) -> None:
        ws = self.workspace
        if ws.dem is not None:
            terrain = self._subgroup("terrain")
            hill = QgsRasterLayer(str(ws.dem), "hillshade (DEM)")
            if hill.isValid():
                styles.style_hillshade(hill)
                self.terrain["hillshade"] = self._adopt(hill, terrain)
            for name, path in sorted(ws.terrain_layers.items()):
                layer = QgsRasterLayer(str(path), name)
                if layer.isValid():
                    self.terrain[name.lower()] = self._adopt(layer, terrain)
                    terrain.findLayer(layer.id()).setItemVisibilityChecked(False)
            dem = QgsRasterLayer(str(ws.dem), "dem")
            if dem.isValid():
                self.terrain.setdefault("dem", self._adopt(dem, terrain))
                terrain.findLayer(dem.id()).setItemVisibilityChecked(False)
        folder = ws.root / "inventories"
        if folder.is_dir():
            for path in _files(folder):
                layer = self._vector(path)
                if layer is None:
                    if path.suffix.lower() in VECTOR_EXTENSIONS:  # a damaged one: say so
                        self.problems.append(_tr("{file}: skipped: it cannot be read as a "
                                                 "vector layer").format(
                            file=f"{folder.name}/{path.name}"))
                    continue
                self.inventories[layer.name()] = self._adopt(layer, self._subgroup("inventories"))
        folder = ws.root / "basemaps"
        if folder.is_dir():
            for path in _files(folder):
                layer, problem = basemap_layer(path)
                shown = f"{folder.name}/{path.name}"
                if problem is not None:
                    self.problems.append(_tr("{file}: skipped: {problem}").format(
                        file=shown, problem=problem))
                if layer is None:
                    continue
                group = self._subgroup("basemaps")
                self.basemaps[layer.name()] = self._adopt(layer, group)
                # a choice for the linked views: drawn nowhere until picked in one
                group.findLayer(layer.id()).setItemVisibilityChecked(False)
                host = tile_host(layer)
                if host:
                    self.notes.append(_tr("{file} would fetch tiles from {host} when chosen")
                                      .format(file=shown, host=host))

    def add_terrain(self, layers: Dict[str, Path]) -> None:
        """Derived terrain layers (slope, aspect, ...) into the terrain group, not drawn (the
        linked views and the terrain check use them); the DEM-rendered hillshade stays."""
        group = self._subgroup("terrain")
        for name, path in sorted(layers.items()):
            key = name.lower()
            if key in self.terrain and key != "hillshade":
                self.project.removeMapLayer(self.terrain[key].id())
            elif key == "hillshade" and "hillshade" in self.terrain:
                continue
            layer = QgsRasterLayer(str(path), name)
            if layer.isValid():
                self.terrain[key] = self._adopt(layer, group)
                group.findLayer(layer.id()).setItemVisibilityChecked(False)
            else:
                self.problems.append(_tr("{file}: skipped: QGIS cannot open this raster")
                                     .format(file=f"dem/{Path(path).name}"))

    def add_processes(self, gpkg: Path) -> Optional[QgsVectorLayer]:
        """The process footprints (core.recurrence) on top of the workspace group, replacing
        an earlier run's layer."""
        if self.processes is not None and self.project.mapLayer(self.processes.id()):
            self.project.removeMapLayer(self.processes.id())
        layer = QgsVectorLayer(f"{gpkg}|layername=processes", "processes", "ogr")
        if not layer.isValid():
            return None
        styles.style_processes(layer)
        self.processes = self._adopt(layer, self.group, 0, "processes")
        return self.processes

    def add_reference(self, layer: QgsVectorLayer) -> QgsVectorLayer:
        """An exercise key (after the student asked to check): on top, replacing an older."""
        if self.reference is not None and self.project.mapLayer(self.reference.id()):
            self.project.removeMapLayer(self.reference.id())
        self.reference = self._adopt(layer, self.group, 0, "reference")
        return self.reference

    @staticmethod
    def _vector(path: Path) -> Optional[QgsVectorLayer]:
        if path.suffix.lower() not in VECTOR_EXTENSIONS:
            return None
        layer = QgsVectorLayer(str(path), path.stem, "ogr")
        return layer if layer.isValid() else None

    # -------------------------------------------------------------- an interferogram
    def show(self, item: WorkspaceInterferogram, on_ready: Callable[[List[str]], None],
             on_facts: Callable[[List[str]], None], threshold: float = 0.2,
             mask: bool = False) -> None:
        """Swap in ``item``'s layers without holding the GUI thread.

        Opening a raster costs GDAL and QGIS's default statistics ~50 ms on a 4000 x 4000
        file (far more on a network drive), so a background task opens them; ``on_ready``
        runs on the GUI thread once they are in the project, ``on_facts`` later, once value
        ranges are read (and layers restyled where the file is not plain radians / 0-1).
        A newer call supersedes an older one still loading."""
        self._cancel_task()
        self._remove_ifg_layers()
        self.current = item
        self.coherence_stats = None
        meta = item.meta
        name = (f"{meta.ifg or item.path.stem} {meta.traj or '?'} "
                f"Bt={meta.bt if meta.bt is not None else '?'}")
        main_thread = QCoreApplication.instance().thread()
        sources = {"phase": item.path, "coherence": item.coherence}

        def open_rasters(progress):
            opened = {}
            for kind, path in sources.items():
                if path is not None and not progress.cancelled():
                    # a complex interferogram is drawn through its phase (a VRT of its angle)
                    shown = (phase_vrt(str(path)) if kind == "phase" else None) or path
                    layer = QgsRasterLayer(str(shown), f"{kind} {name}")
                    layer.moveToThread(main_thread)  # created here, used by the GUI
                    opened[kind] = layer
            return opened  # (never dropped here: a layer is deleted on the GUI thread)

        def opened(result):
            on_ready(self._install(item, name, result, threshold, mask))
            self._start_facts_task(item, threshold, on_facts)

        # superseded: the layers opened are dropped with the task
        self.opening.run(open_rasters, opened, description=f"MIRAGE: opening {item.path.name}",
                         on_error=lambda why: on_ready([f"{item.path}: cannot be opened ({why})"]),
                         on_cancelled=lambda: on_ready([f"{item.path}: opening was cancelled"]))

    def _install(self, item, name, opened, threshold, mask) -> List[str]:
        messages: List[str] = []
        phase, coherence = opened.get("phase"), opened.get("coherence")
        if phase is None or not phase.isValid():
            return [f"{item.path}: QGIS cannot open this raster"]
        styles.style_phase(phase, RADIANS)
        self.phase_layer = phase
        layers = [phase]
        if coherence is not None:
            if coherence.isValid():
                styles.style_coherence(coherence, COHERENCE_0_1)
                self.coherence_layer = coherence
                layers.append(coherence)
            else:
                messages.append(f"{item.coherence}: QGIS cannot open this raster")
        choice = self.label_crs()
        self.labels_layer = label_layer.make_label_layer(f"labels {name}",
                                                         choice.epsg or choice.wkt)
        for i, layer in enumerate([self.labels_layer] + layers):
            self._adopt(layer, self.group, i, "interferogram")
            self._ifg_ids.append(layer.id())
        if self.coherence_layer is not None:
            self.group.findLayer(self.coherence_layer.id()).setItemVisibilityChecked(False)
        self.set_mask(mask, threshold)
        return messages

    @property
    def loading(self) -> bool:
        return self.opening.busy() or self.reading.busy()

    def label_crs(self):
        """CRS for this interferogram's labels (core rule), from the layer's CRS alone."""
        crs = self.phase_layer.crs() if self.phase_layer else QgsCoordinateReferenceSystem()
        if not crs.isValid():
            return label_crs_from(None, None, False, False, None)
        epsg = int(crs.postgisSrid()) if crs.authid().startswith("EPSG:") else None
        centre = None
        if crs.isGeographic():
            c = self.phase_layer.extent().center()
            wgs84 = QgsCoordinateReferenceSystem.fromEpsgId(4326)
            p = QgsCoordinateTransform(crs, wgs84, self.project).transform(QgsPointXY(c))
            centre = (p.x(), p.y())
        return label_crs_from(epsg, crs.toWkt(), crs.isGeographic(), not crs.isGeographic(),
                              centre)

    def footprint(self):
        """The interferogram's extent in the label CRS (boxes are kept inside it)."""
        if self.phase_layer is None:
            return None
        choice = self.label_crs()
        dst = (QgsCoordinateReferenceSystem.fromEpsgId(choice.epsg) if choice.epsg
               else QgsCoordinateReferenceSystem.fromWkt(choice.wkt or ""))
        extent = self.phase_layer.extent()
        if dst.isValid() and dst != self.phase_layer.crs():
            try:
                extent = QgsCoordinateTransform(self.phase_layer.crs(), dst,
                                                self.project).transformBoundingBox(extent)
            except QgsCsException:
                return None
        return (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())

    def grid(self) -> Grid:
        """The interferogram's pixel grid when labels share its CRS; MIRAGE's 15 m otherwise."""
        choice = self.label_crs()
        layer = self.phase_layer
        if layer is None or choice.epsg is None or layer.crs().authid() != f"EPSG:{choice.epsg}":
            return Grid()
        e = layer.extent()
        return Grid.from_raster(e.xMinimum(), e.yMaximum(), layer.rasterUnitsPerPixelX(),
                                layer.rasterUnitsPerPixelY())

    def set_labels(self, labels) -> None:
        if self.labels_layer is not None and not sip.isdeleted(self.labels_layer):
            label_layer.fill(self.labels_layer, labels)

    def set_mask(self, enabled: bool, threshold: float) -> None:
        """The optional semi-transparent mask over pixels with coherence below ``threshold``."""
        if self.mask_layer is not None and not sip.isdeleted(self.mask_layer):
            mask_id = self.mask_layer.id()
            if mask_id in self._ifg_ids:
                self._ifg_ids.remove(mask_id)
            if self.project.mapLayer(mask_id):
                self.project.removeMapLayer(mask_id)
        self.mask_layer = None
        if not enabled or self.current is None or self.current.coherence is None:
            return
        mask = QgsRasterLayer(str(self.current.coherence), f"low coherence < {threshold:g}")
        if not mask.isValid():
            return
        styles.style_coherence_mask(mask, self._coherence_encoding, threshold)
        self.mask_layer = self._adopt(mask, self.group, 1, "interferogram")
        self._ifg_ids.append(mask.id())

    def sources(self) -> Dict[str, QgsMapLayer]:
        """Layers a linked view may show, by kind."""
        out: Dict[str, QgsMapLayer] = {}
        if self.phase_layer is not None:
            out["phase"] = self.phase_layer
        if self.coherence_layer is not None:
            out["coherence"] = self.coherence_layer
        out.update(self.terrain)
        out.update(self.basemaps)
        return out

    def overlays(self) -> List[QgsMapLayer]:
        """Vector layers every linked view draws over its raster: labels and inventories."""
        labels = [self.labels_layer] if self.labels_layer is not None else []
        return labels + list(self.inventories.values())

    # -------------------------------------------------------------- background facts
    def _start_facts_task(self, item, threshold, on_facts) -> None:
        def work(progress):
            result = {"messages": []}
            try:
                facts = read_raster_facts_cached(str(item.path))
                result["phase"] = (facts, detect_phase_encoding(facts))
            except RasterReadError as exc:
                result["messages"].append(str(exc))
            if item.coherence is not None and not progress.cancelled():
                try:
                    facts = read_raster_facts_cached(str(item.coherence))
                    result["coherence"] = detect_coherence_encoding(facts)
                    result["stats"] = quick_coherence_stats(str(item.coherence), threshold)
                except RasterReadError as exc:
                    result["messages"].append(str(exc))
            return result

        def finished(result):
            messages = list(result["messages"])
            if "phase" in result and self.phase_layer is not None:
                facts, encoding = result["phase"]
                messages += list(encoding.messages) + list(encoding.problems)
                if not encoding.is_native or encoding.problems:
                    warning = styles.style_phase(self.phase_layer, encoding, facts.vmin,
                                                 facts.vmax)
                    if warning:
                        messages.append(warning)
            if "coherence" in result and self.coherence_layer is not None:
                encoding = result["coherence"]
                messages += list(encoding.messages) + list(encoding.problems)
                self._coherence_encoding = encoding
                if not encoding.is_native:
                    styles.style_coherence(self.coherence_layer, encoding)
                    if self.mask_layer is not None:
                        styles.style_coherence_mask(self.mask_layer, encoding, threshold)
            self.coherence_stats = result.get("stats")
            on_facts(messages)

        # a newer interferogram on show supersedes (its show() cancels this)
        self.reading.run(work, finished, description=f"MIRAGE: reading {item.path.name}",
                         on_error=lambda why: on_facts([f"{item.path}: cannot read its values "
                                                        f"({why})"]),
                         on_cancelled=lambda: on_facts([]))

    def _cancel_task(self) -> None:
        self.opening.cancel()
        self.reading.cancel()

    def wait(self, timeout_ms: int = 30000) -> bool:
        """For tests and scripts: process events until opening and reading are done."""
        timer = QElapsedTimer()
        timer.start()
        while self.loading and timer.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
        return not self.loading

    # -------------------------------------------------------------- removal
    def _remove_ifg_layers(self) -> None:
        for layer_id in self._ifg_ids:
            if self.project.mapLayer(layer_id) is not None:
                self.project.removeMapLayer(layer_id)
        self._ifg_ids = []
        self.phase_layer = self.coherence_layer = self.labels_layer = self.mask_layer = None

    def remove(self) -> None:
        """Take every layer of this workspace out of the project, and the group."""
        self._cancel_task()  # a task still finishing must not install into a gone group
        if self.group is None or sip.isdeleted(self.group):  # the project was cleared under us
            return
        for node in self.group.findLayers():
            if node.layer() is not None and self.project.mapLayer(node.layer().id()):
                self.project.removeMapLayer(node.layer().id())
        parent = self.group.parent()
        if parent is not None:
            parent.removeChildNode(self.group)
        self.phase_layer = self.coherence_layer = self.labels_layer = self.mask_layer = None
        self.terrain, self.inventories, self.basemaps = {}, {}, {}
        self.processes = self.reference = None


def _files(folder: Path) -> List[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:  # unreadable folder: as if it were empty
        return []


def remove_stale(project: QgsProject) -> None:
    """Remove groups and layers a previous session left in a saved project (they are rebuilt
    from the workspace when the project's session is restored)."""
    root = project.layerTreeRoot()
    for layer in list(project.mapLayers().values()):
        if layer.customProperty(ROLE):
            project.removeMapLayer(layer.id())
    for group in [g for g in root.findGroups(True) if g.customProperty(ROLE) == "workspace"]:
        group.parent().removeChildNode(group)
