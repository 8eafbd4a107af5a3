"""The layer-tree group of an open workspace and the layers of the interferogram on show."""
from __future__ import annotations

from typing import List, Optional

from qgis.core import QgsProject, QgsRasterLayer, QgsVectorLayer

from ..core.raster_facts import (RasterReadError, detect_coherence_encoding,
                                 detect_phase_encoding, read_raster_facts)
from ..core.workspace import Workspace, WorkspaceInterferogram
from . import styles


class WorkspaceLayers:
    """Owns one group "MIRAGE: <workspace>"; showing an interferogram swaps its layers."""

    def __init__(self, workspace: Workspace, project: Optional[QgsProject] = None):
        self.workspace = workspace
        self.project = project or QgsProject.instance()
        root = self.project.layerTreeRoot()
        self.group = root.insertGroup(0, f"MIRAGE: {workspace.root.name}")
        self._ifg_layer_ids: List[str] = []
        self._dem_layer_id: Optional[str] = None
        self.phase_layer: Optional[QgsRasterLayer] = None
        self.labels_layer: Optional[QgsVectorLayer] = None

    def _add(self, layer, position: Optional[int] = None):
        self.project.addMapLayer(layer, False)
        if position is None:
            self.group.addLayer(layer)
        else:
            self.group.insertLayer(position, layer)
        return layer

    def show(self, item: WorkspaceInterferogram) -> List[str]:
        """Replace the shown interferogram by ``item``; returns messages for the user."""
        messages: List[str] = []
        self._remove_ifg_layers()
        name = f"{item.meta.ifg or item.path.stem} {item.meta.traj or '?'} Bt={item.meta.bt or '?'}"
        layers = []
        if item.label_path.exists():
            labels = QgsVectorLayer(str(item.label_path), f"labels {name}", "ogr")
            if labels.isValid():
                styles.style_labels(labels)
                layers.append(labels)
                self.labels_layer = labels
            else:
                messages.append(f"{item.label_path}: cannot be opened as a vector layer")
        phase = QgsRasterLayer(str(item.path), f"phase {name}")
        if not phase.isValid():
            messages.append(f"{item.path}: QGIS cannot open this raster")
        else:
            try:
                facts = read_raster_facts(str(item.path))
                encoding = detect_phase_encoding(facts)
                messages += list(encoding.messages) + list(encoding.problems)
                warning = styles.style_phase(phase, encoding, facts.vmin, facts.vmax)
                if warning:
                    messages.append(warning)
            except RasterReadError as exc:
                messages.append(str(exc))
            layers.append(phase)
            self.phase_layer = phase
        if item.coherence is not None:
            coherence = QgsRasterLayer(str(item.coherence), f"coherence {name}")
            if coherence.isValid():
                try:
                    encoding = detect_coherence_encoding(read_raster_facts(str(item.coherence)))
                    messages += list(encoding.messages) + list(encoding.problems)
                    styles.style_coherence(coherence, encoding)
                except RasterReadError as exc:
                    messages.append(str(exc))
                layers.append(coherence)
            else:
                messages.append(f"{item.coherence}: QGIS cannot open this raster")
        for i, layer in enumerate(layers):
            self._add(layer, i)
            self._ifg_layer_ids.append(layer.id())
            node = self.group.findLayer(layer.id())
            node.setExpanded(False)  # ten class legends or a 64-stop ramp: folded away
            if layer.name().startswith("coherence"):  # under the phase: ready, not drawn
                node.setItemVisibilityChecked(False)
        self._ensure_dem()
        return messages

    def _ensure_dem(self) -> None:
        dem = self.workspace.dem
        if dem is None or self._dem_layer_id is not None:
            return
        layer = QgsRasterLayer(str(dem), "hillshade (DEM)")
        if layer.isValid():
            styles.style_hillshade(layer)
            self._add(layer)
            self._dem_layer_id = layer.id()

    def _remove_ifg_layers(self) -> None:
        for layer_id in self._ifg_layer_ids:
            if self.project.mapLayer(layer_id) is not None:
                self.project.removeMapLayer(layer_id)
        self._ifg_layer_ids = []
        self.phase_layer = None
        self.labels_layer = None

    def remove(self) -> None:
        """Take every layer of this workspace out of the project, and the group."""
        self._remove_ifg_layers()
        if self._dem_layer_id and self.project.mapLayer(self._dem_layer_id) is not None:
            self.project.removeMapLayer(self._dem_layer_id)
        self._dem_layer_id = None
        parent = self.group.parent()
        if parent is not None:
            parent.removeChildNode(self.group)
