"""'Check my work' for a workshop exercise: the student's labels scored against the hidden
key, the key's boxes shown beside the student's, and the feedback in a list where a click
goes to the box. Thin: core.exercise unpacks the key, core.scoring scores.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Optional

from qgis.core import (
    Qgis,
    QgsFeature,
    QgsField,
    QgsFillSymbol,
    QgsGeometry,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtWidgets import QDialog, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from ..core.base import crs as crs_rules
from ..core.base.errors import MirageError
from ..core.teaching.exercise import exercise_min_iou, extract_reference, is_exercise
from ..core.teaching.scoring import ARTEFACT, CONFUSION, FALSE_ALARM, MISSED, score_labels
from ..i18n import translate, translate_core
from .qgis_crs import label_crs_of, qgs_crs, to_canvas

TR_CONTEXT = "ExerciseCheck"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)

_ROLE = 0x0100 + 7


def _kind_names():
    return {MISSED: _tr("missed"), FALSE_ALARM: _tr("false alarm"),
            ARTEFACT: _tr("artefact called a movement"), CONFUSION: _tr("class confusion")}


def reference_layer(key_dir: Path, label_crs) -> QgsVectorLayer:
    """The key's boxes, dashed green, in the labels' CRS (key files in another CRS are
    converted), for the results view (never before the check)."""
    from ..core.dataset.review import read_labels

    layer = QgsVectorLayer("Polygon", _tr("exercise key"), "memory")
    layer.setCrs(qgs_crs(label_crs))
    layer.dataProvider().addAttributes([QgsField("stem", QVariant.String),
                                        QgsField("Id", QVariant.Int),
                                        QgsField("Class", QVariant.String)])
    layer.updateFields()
    rows, _ = read_labels(key_dir, crs=crs_rules.text(label_crs))
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
    if slope_path is None and "slope" in ws.terrain_layers:
        slope_path = str(ws.terrain_layers["slope"])
    min_iou = exercise_min_iou(ws.root)
    with tempfile.TemporaryDirectory(prefix="mirage-key-") as tmp:
        key = extract_reference(ws.root, tmp)  # gone again once scored: nothing left in /tmp
        score = score_labels(ws.label_dir, key, min_iou, slope_path=slope_path,
                             crs=crs_rules.text(session.label_crs))
        key_layer = reference_layer(Path(key), session.label_crs)
    if dock.layers is not None:
        dock.layers.add_reference(key_layer)
    dialog = QDialog(dock)
    dialog.setWindowTitle(_tr("Check my work"))
    layout = QVBoxLayout(dialog)
    head = QLabel(_tr("Found {found} of {total} signals: {missed} missed, {false} false "
                      "alarm(s), {artefacts} artefact(s) called movements, {confusions} class "
                      "confusion(s).\nPrecision {precision}, recall {recall} (boxes match at "
                      "IoU ≥ {iou}). The key's boxes are dashed green on the map.").format(
        found=score.found, total=score.reference, missed=score.count(MISSED),
        false=score.count(FALSE_ALARM), artefacts=score.count(ARTEFACT),
        confusions=score.count(CONFUSION), precision=_percent(score.precision),
        recall=_percent(score.recall), iou=f"{min_iou:g}"), dialog)
    head.setWordWrap(True)
    layout.addWidget(head)
    feedback = QListWidget(dialog)
    feedback.setWordWrap(True)
    kinds = _kind_names()
    for m in sorted(score.mistakes, key=lambda m: (m.kind, m.stem)):
        item = QListWidgetItem(f"{kinds.get(m.kind, m.kind)}: {translate_core(m.feedback)}")
        item.setData(_ROLE, (m.stem, m.bounds))
        item.setToolTip(m.stem)
        feedback.addItem(item)
    for note in score.notes:
        feedback.addItem(QListWidgetItem(_tr("note: {text}").format(
            text=translate_core(note))))
    layout.addWidget(feedback, 1)
    source = label_crs_of(session)

    def go(item):
        data = item.data(_ROLE)
        if not data:
            return
        stem, (x0, y0, x1, y1) = data
        dock.show_stem(stem)
        pad = max(x1 - x0, y1 - y0) + 200
        canvas = dock.iface.mapCanvas()
        rect = to_canvas(QgsRectangle(x0 - pad, y0 - pad, x1 + pad, y1 + pad), source, canvas)
        if rect is None:  # a canvas CRS that cannot take it: stay put
            return
        canvas.setExtent(rect)
        canvas.refresh()

    feedback.itemClicked.connect(go)
    dialog.resize(640, 480)
    dialog.show()
    dock.check_dialog = dialog
    return score


def check_exercise(dock):
    """The dock's "Check my work": the Score, or None (not an exercise, a damaged key: said)."""
    if dock.session is None or not is_exercise(dock.session.workspace.root):
        return None
    try:
        return check_my_work(dock)
    except (OSError, ValueError, MirageError) as exc:
        dock.say(_tr("Could not check the exercise: {why}").format(why=exc),
                 Qgis.MessageLevel.Warning)
        return None


def _percent(value: float) -> str:
    return "–" if value != value else f"{value:.0%}"
