"""'Check my work' for a workshop exercise: the student's labels scored against the hidden
key, the key's boxes shown beside the student's, and the feedback in a list where a click
goes to the box. Thin: core.exercise unpacks the key, core.scoring scores.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Optional

from qgis.core import (QgsFeature, QgsField, QgsFillSymbol, QgsGeometry, QgsRectangle,
                       QgsSingleSymbolRenderer, QgsVectorLayer)
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtWidgets import QDialog, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from ..i18n import translate
from ..core.exercise import extract_reference
from ..core.scoring import score_labels

TR_CONTEXT = "ExerciseCheck"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)

_ROLE = 0x0100 + 7


def reference_layer(key_dir: Path, crs_authid: str = "EPSG:32632") -> QgsVectorLayer:
    """The key's boxes, dashed green, for the results view (never before the check)."""
    from ..core.review import read_labels

    layer = QgsVectorLayer(f"Polygon?crs={crs_authid}", "exercise key", "memory")
    layer.dataProvider().addAttributes([QgsField("stem", QVariant.String),
                                        QgsField("Id", QVariant.Int),
                                        QgsField("Class", QVariant.String)])
    layer.updateFields()
    rows, _ = read_labels(key_dir)
    feats = []
    for stem, lab in rows:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(*lab.bounds)))
        f.setAttributes([stem, lab.id, lab.cls])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    symbol = QgsFillSymbol.createSimple({"color": "0,0,0,0", "outline_color": "#00a651",
                                         "outline_width": "0.8", "outline_width_unit": "MM",
                                         "outline_style": "dash"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setCustomProperty("skipMemoryLayersCheck", 1)
    return layer


def check_my_work(dock, slope_path: Optional[str] = None):
    """Score, add the key layer to the workspace group, show the feedback; returns the Score."""
    session = dock.session
    ws = session.workspace
    key = extract_reference(ws.root, Path(tempfile.mkdtemp(prefix="mirage-key-")))
    if slope_path is None and "slope" in ws.terrain_layers:
        slope_path = str(ws.terrain_layers["slope"])
    score = score_labels(ws.label_dir, key, slope_path=slope_path)
    if dock.layers is not None:
        dock.layers.add_reference(reference_layer(key))
    dialog = QDialog(dock)
    dialog.setWindowTitle(_tr("Check my work"))
    layout = QVBoxLayout(dialog)
    head = QLabel(f"{score.summary()}.\nPrecision {score.precision:.0%}, recall "
                  f"{score.recall:.0%}. The key's boxes are dashed green on the map.", dialog)
    head.setWordWrap(True)
    layout.addWidget(head)
    feedback = QListWidget(dialog)
    feedback.setWordWrap(True)
    for m in sorted(score.mistakes, key=lambda m: (m.kind, m.stem)):
        item = QListWidgetItem(f"{m.kind.replace('_', ' ')}: {m.feedback}")
        item.setData(_ROLE, (m.stem, m.bounds))
        item.setToolTip(m.stem)
        feedback.addItem(item)
    for note in score.notes:
        feedback.addItem(QListWidgetItem(f"note: {note}"))
    layout.addWidget(feedback, 1)

    def go(item):
        data = item.data(_ROLE)
        if not data:
            return
        stem, (x0, y0, x1, y1) = data
        dock.show_stem(stem)
        pad = max(x1 - x0, y1 - y0) + 200
        canvas = dock.iface.mapCanvas()
        canvas.setExtent(QgsRectangle(x0 - pad, y0 - pad, x1 + pad, y1 + pad))
        canvas.refresh()

    feedback.itemClicked.connect(go)
    dialog.resize(640, 480)
    dialog.show()
    dock.check_dialog = dialog
    return score
