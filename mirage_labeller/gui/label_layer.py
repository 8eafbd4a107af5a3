"""The labels of the interferogram on show, drawn from a memory layer that mirrors the store.

QGIS never holds the shapefile open (on Windows an open file cannot be replaced, which would
block every save); after each save the mirror is refilled from what the store read back.
"""
from __future__ import annotations

from typing import Iterable

from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from ..core.labels.schema import FIELDS, Label
from . import styles
from .qgis_crs import qgs_crs

ROLE = "mirage_labeller/role"


def make_label_layer(name: str, crs_wkt_or_epsg) -> QgsVectorLayer:
    """The mirror of a label file whose boxes are in ``crs_wkt_or_epsg`` (an EPSG code, or
    WKT: the interferogram's label CRS, core's rule)."""
    crs = qgs_crs(crs_wkt_or_epsg)
    uri = f"Polygon?crs={crs.authid()}" if crs.authid() else "Polygon"
    layer = QgsVectorLayer(uri, name, "memory")
    if not crs.authid() and crs.isValid():
        layer.setCrs(crs)
    layer.dataProvider().addAttributes(
        [QgsField(f.name, QVariant.Int if f.kind == "int" else QVariant.String, len=f.width)
         for f in FIELDS])
    layer.updateFields()
    layer.setCustomProperty(ROLE, "labels")
    layer.setCustomProperty("skipMemoryLayersCheck", 1)  # rebuilt from the files: nothing to lose
    layer.setReadOnly(True)  # edits go through the label store, never through this mirror
    styles.style_labels(layer)
    return layer


def fill(layer: QgsVectorLayer, labels: Iterable[Label]) -> None:
    provider = layer.dataProvider()
    provider.truncate()
    features = []
    for lab in labels:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(*lab.bounds)))
        f.setAttributes([lab.id, lab.cls, lab.sign_qual, lab.class_unc, lab.ifg, lab.bt,
                         lab.traj])
        features.append(f)
    provider.addFeatures(features)
    layer.updateExtents()
    layer.triggerRepaint()
