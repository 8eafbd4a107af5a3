"""Step 3 in the dock: the gallery of the box in other interferograms, ticks kept in the
sidecar (not the label files), double-click to go there, copy on explicit action only."""
import json

import pytest
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QApplication
from qt_events import flush

from mirage_labeller.core.dataset.gallery import recurrence_chips
from mirage_labeller.core.labels.steps import RECURRENCE
from mirage_labeller.core.labels.store import LabelStore
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    out = tmp_path_factory.mktemp("rp") / "ws"
    build_workspace(SynthConfig(str(out), seed=5, size=500, n_interferograms=8))
    return out


def _open_on_a_recurring_label(dock, workspace):
    """Open the workspace on the interferogram with the label seen in most others."""
    dock.open_workspace(str(workspace))
    dock.wait()
    store = LabelStore(workspace / "labels")
    items = dock.session.workspace.interferograms
    best = None
    for it in items:
        for lab in store.read(it.label_stem).labels:
            chips = recurrence_chips(items, lab.bounds, 32632, store, exclude=it.label_stem)
            n = sum(c.labelled for c in chips)
            if best is None or n > best[0]:
                best = (n, it, lab)
    n, item, lab = best
    assert n >= 2
    dock.show_stem(item.label_stem, select_id=lab.id)
    dock.wait()
    assert dock.session.current is item and dock.session.selected_id == lab.id
    dock.session.go(RECURRENCE)
    QApplication.processEvents()
    return item, lab


def test_gallery_ticks_go_and_copy(plugin, workspace):
    dock = plugin.dock
    dock.show()
    item, lab = _open_on_a_recurring_label(dock, workspace)
    panel = dock.recurrence
    panel.show_box()
    dock.wait()
    items = dock.session.workspace.interferograms
    expected = recurrence_chips(items, lab.bounds, 32632, dock.session.store,
                                exclude=item.label_stem)
    gallery = panel.gallery
    assert gallery.count() == len(expected) == len(items) - 1
    stems = [gallery.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(gallery.count())]
    assert stems == [c.stem for c in expected]  # sorted by Bt, then date
    bts = [c.bt for c in expected]
    assert bts == sorted(bts)
    assert all(not gallery.item(i).icon().isNull() for i in range(gallery.count()))
    # existing labels there are ticked to start with; the count says so
    ticked = [gallery.item(i).checkState() == Qt.CheckState.Checked for i in range(gallery.count())]
    assert ticked == [c.labelled for c in expected]
    # ...and those ticks are kept as they are shown, not only the ones the expert toggles
    assert dock.session.state.recurrence_of(lab.bounds) == {
        c.stem: True for c in expected if c.labelled}
    assert f"Signal present in {sum(ticked)} of {len(expected)}" in panel.summary.text()
    # ticking one more is kept in the sidecar, not in any label file
    labels_before = {p.name: p.read_bytes() for p in (workspace / "labels").iterdir()
                     if p.suffix == ".dbf"}
    k = ticked.index(False)
    gallery.item(k).setCheckState(Qt.CheckState.Checked)
    assert f"Signal present in {sum(ticked) + 1} of" in panel.summary.text()
    sidecar = json.loads((workspace / ".mirage" / "state.json").read_text())
    key = ",".join(f"{v:.0f}" for v in lab.bounds)
    assert sidecar["recurrence"][key][stems[k]] is True
    assert labels_before == {p.name: p.read_bytes() for p in (workspace / "labels").iterdir()
                             if p.suffix == ".dbf"}
    # copy the label to the ticked interferogram: its own IFG/Bt/Traj, then go there selected
    target = next(it for it in items if it.label_stem == stems[k])
    n_before = LabelStore(workspace / "labels").count(target.label_stem)
    gallery.setCurrentRow(k)
    assert panel.copy_button.isEnabled()
    panel.copy_button.click()
    QApplication.processEvents()
    dock.wait()
    copied = LabelStore(workspace / "labels").read(target.label_stem).labels
    assert len(copied) == n_before + 1
    new = max(copied, key=lambda x: x.id)
    assert (new.ifg, new.bt, new.traj) == (target.meta.ifg, target.meta.bt, target.meta.traj)
    assert (new.cls, new.bounds) == (lab.cls, lab.bounds)
    assert dock.session.current is target and dock.session.selected_id == new.id
    dock.run_action("undo")  # the copy is one undoable edit
    assert LabelStore(workspace / "labels").count(target.label_stem) == n_before
    # double-clicking a chip goes to its interferogram
    dock.show_stem(item.label_stem, select_id=lab.id)
    dock.wait()
    assert dock.session.current is item and dock.session.selected_id == lab.id
    panel.show_box()
    dock.wait()
    chip = panel.gallery.item(0)
    there = chip.data(Qt.ItemDataRole.UserRole + 1)
    panel.gallery.itemDoubleClicked.emit(chip)
    QApplication.processEvents()
    dock.wait()
    assert dock.session.current.label_stem == there != item.label_stem


def test_nothing_is_copied_without_a_saved_label(plugin, workspace):
    dock = plugin.dock
    item, lab = _open_on_a_recurring_label(dock, workspace)
    dock.session.set_candidate(lab.bounds)  # a drawn, unsaved box
    panel = dock.recurrence
    panel.show_box()
    dock.wait()
    assert panel.gallery.count() > 0
    panel.gallery.setCurrentRow(0)
    assert not panel.copy_button.isEnabled()
    before = {p.name: p.stat().st_mtime_ns for p in (workspace / "labels").iterdir()}
    panel.copy_here()
    assert before == {p.name: p.stat().st_mtime_ns for p in (workspace / "labels").iterdir()}


def test_opening_the_gallery_does_not_block(plugin, workspace):
    """The chips are read in a task: show_box returns before any chip exists."""
    dock = plugin.dock
    item, lab = _open_on_a_recurring_label(dock, workspace)
    panel = dock.recurrence
    panel.show_box()
    assert panel.busy() and panel.gallery.count() == 0
    dock.wait()
    assert not panel.busy() and panel.gallery.count() > 0


def test_moving_on_does_not_cancel_the_grouping(plugin, workspace):
    dock = plugin.dock
    dock.open_workspace(str(workspace))
    dock.wait()
    dock.recurrence.processes_button.click()
    dock.step(1)  # the box goes away while the grouping runs
    dock.wait()
    assert dock.layers.processes is not None and dock.layers.processes.featureCount() > 0


def test_group_processes_adds_a_layer(plugin, workspace):
    from qgis.core import QgsProject

    from mirage_labeller.core.dataset.processes import group_labels, read_label_dir

    dock = plugin.dock
    dock.open_workspace(str(workspace))
    dock.wait()
    dock.recurrence.processes_button.click()
    dock.wait()
    layer = dock.layers.processes
    assert layer is not None and layer.isValid()
    assert layer.featureCount() == len(group_labels(read_label_dir(workspace / "labels")))
    assert dock.layers.group.findLayer(layer.id()) is not None
    assert (workspace / ".mirage" / "processes.gpkg").is_file()
    dock.close_workspace()
    flush()
    assert QgsProject.instance().mapLayers() == {}


def test_conflicts_are_outlined_in_red_and_only_they(qgis_app):
    from qgis.core import (
        QgsFeature,
        QgsField,
        QgsGeometry,
        QgsMapRendererCustomPainterJob,
        QgsMapSettings,
        QgsRectangle,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import QSize, QVariant
    from qgis.PyQt.QtGui import QColor, QImage, QPainter

    from mirage_labeller.gui.styles import style_processes

    layer = QgsVectorLayer("Polygon?crs=EPSG:32632", "p", "memory")
    layer.dataProvider().addAttributes([QgsField("class", QVariant.String),
                                        QgsField("conflict", QVariant.Int),
                                        QgsField("n_labels", QVariant.Int),
                                        QgsField("classes", QVariant.String)])
    layer.updateFields()
    feats = []
    for x0, conflict in ((0, 1), (2000, 0)):
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0, 0, x0 + 1000, 1000)))
        f.setAttributes(["RG", conflict, 3, "RG:2, PR:1" if conflict else "RG:3"])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    style_processes(layer)
    assert all(c.symbol().symbolLayerCount() == 2 for c in layer.renderer().categories())
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(QgsRectangle(-200, -200, 3200, 1200))
    settings.setOutputSize(QSize(680, 280))
    settings.setBackgroundColor(QColor("white"))
    image = QImage(settings.outputSize(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    job = QgsMapRendererCustomPainterJob(settings, painter)
    job.start()
    job.waitForFinished()
    painter.end()

    def red(x_from, x_to):
        n = 0
        for x in range(x_from, x_to):
            for y in range(0, 280):
                c = QColor(image.pixel(x, y))
                n += c.red() > 180 and c.green() < 90 and c.blue() < 90
        return n

    assert red(0, 300) > 100  # the conflict: a red dashed outline
    assert red(380, 680) == 0  # no red at all around the other process
