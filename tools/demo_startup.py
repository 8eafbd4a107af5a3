"""Run inside QGIS by `qgis --code` (make demo): open the demo workspace in the plugin's dock,
with the linked views and the N-S box tool ready.

With MIRAGE_DEMO_SCREENSHOT set, also draw a candidate box beside a labelled signal (as a user
would with the box tool), save a screenshot once the maps have drawn, then quit.
"""
import os
import sys

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface, plugins

SHOT = os.environ.get("MIRAGE_DEMO_SCREENSHOT")
SCENE = os.environ.get("MIRAGE_DEMO_SCENE", "label")


def _fail(message):
    print(f"demo: {message}", file=sys.stderr)
    if SHOT:
        QgsApplication.exit(3)


def _shoot():
    QApplication.processEvents()
    # the whole screen: dialogs (class guide, exercise feedback) are windows of their own
    QApplication.primaryScreen().grabWindow(0).save(SHOT)
    QgsApplication.exit(0)


def _candidate_beside(session):
    """A box next to the first label, the size of a rock glacier (what a user would draw)."""
    labels = session.labels()
    if not labels:
        return None
    lab = labels[0]
    w, h = lab.xmax - lab.xmin, lab.ymax - lab.ymin
    return session.grid.snap_bounds((lab.xmax + w, lab.ymin - h, lab.xmax + 2.2 * w, lab.ymax))


def _start():
    plugin = plugins.get("MirageLabeller")
    if plugin is None:
        _fail("the MirageLabeller plugin is not loaded")
        return
    window = iface.mainWindow()
    screen = QApplication.primaryScreen().availableGeometry()
    window.setGeometry(screen)  # no window manager under Xvfb: showMaximized() does nothing
    window.showMaximized()
    plugin.open_workspace(os.environ["MIRAGE_DEMO_WORKSPACE"])
    plugin.dock.wait()
    plugin.views_action.setChecked(True)
    plugin.dock.zoom_to_labels(margin_m=900.0)
    plugin.dock.draw_action.setChecked(True)
    if SHOT:
        QTimer.singleShot(1500, lambda: _arrange(plugin.dock))


def _arrange(dock):
    """Once the window has its size: a candidate box drawn beside a label, framed closely."""
    from qgis.core import QgsRectangle

    session = dock.session
    if SCENE == "recurrence":
        _recurrence(dock)
        return
    if SCENE == "review":
        _review(plugins.get("MirageLabeller"))
        return
    if SCENE == "guide":
        guide = dock.show_class_guide()
        guide.resize(980, 900)
        guide.move(300, 80)
        QTimer.singleShot(6000, _shoot)
        return
    if SCENE == "exercise":
        _exercise(dock)
        return
    if SCENE == "terrain":
        if dock.terrain.derive_button.isVisible() or not dock.terrain.terrain_paths():
            dock.terrain.derive()
        dock.wait(timeout_ms=180000)
        lab = session.labels()[0]
        candidate = lab.bounds  # the terrain under a labelled rock glacier, as drawn again
        session.set_candidate(candidate)
    else:
        candidate = _candidate_beside(session)
    if candidate is not None:
        session.set_candidate(candidate)
        session.set_class("RG")
        x0, y0, x1, y1 = candidate
        canvas = iface.mapCanvas()
        canvas.setExtent(QgsRectangle(x0 - 1800, y0 - 1200, x1 + 1800, y1 + 1200))
        canvas.refresh()
        QTimer.singleShot(500, lambda: _hover(canvas, (x0 + x1) / 2, y1 + 150))
        if SCENE == "terrain":
            session.go(2)
            dock.wait(timeout_ms=60000)
    QTimer.singleShot(5000, _shoot)


def _recurrence(dock):
    """Step 3 on the rock glacier seen in most interferograms: its gallery and the processes."""
    import importlib

    from qgis.core import QgsRectangle

    # the installed plugin's own copy of core (MirageLabeller.mirage_labeller.core...)
    package = type(dock).__module__.rsplit(".gui.", 1)[0]
    recurrence = importlib.import_module(f"{package}.core.dataset.processes")
    group_labels, read_label_dir = recurrence.group_labels, recurrence.read_label_dir
    table = read_label_dir(dock.session.workspace.label_dir)
    rock_glaciers = [p for p in group_labels(table) if p.majority_class == "RG"]
    if not rock_glaciers:
        _fail("no rock glacier label in the demo workspace")
        return
    best = max(rock_glaciers, key=lambda p: (p.n_labels, p.pid))
    k = int(best.members[0])
    dock.show_stem(table.stem[k], select_id=int(table.id[k]))
    dock.wait()
    dock.session.go(3)
    from qgis.PyQt.QtCore import Qt

    iface.mainWindow().resizeDocks([dock], [560], Qt.Orientation.Horizontal)  # room for the gallery
    dock.recurrence.show_box()
    dock.recurrence.group_processes()
    dock.wait(timeout_ms=60000)
    x0, y0, x1, y1 = table.bounds[k]
    canvas = iface.mapCanvas()
    canvas.setExtent(QgsRectangle(x0 - 1500, y0 - 1000, x1 + 1500, y1 + 1000))
    canvas.refresh()
    QTimer.singleShot(5000, _shoot)


def _flawed_copy(label_dir):
    """A copy of the demo labels with a few planted problems (the demo's own are clean): a
    repeated Id, a Sign_Qual of 3, an Apennine class in the Alps, a box drawn twice."""
    import shutil
    import tempfile
    from pathlib import Path

    import fiona

    out = Path(tempfile.mkdtemp(prefix="mirage-review-demo-")) / "labels"
    shutil.copytree(label_dir, out, ignore=shutil.ignore_patterns(".mirage*"))
    shp = sorted(out.glob("*.shp"))[0]
    with fiona.open(str(shp)) as src:
        schema, crs, feats = src.schema, src.crs, [dict(f) for f in src]
    with fiona.open(str(shp), "w", driver="ESRI Shapefile", schema=schema, crs=crs) as dst:
        for k, f in enumerate(feats):
            props = dict(f["properties"])
            if k == 1:
                props["Id"] = feats[0]["properties"]["Id"]
            elif k == 2:
                props["Sign_Qual"] = 3
            elif k == 3:
                props["Class"] = "CF"
            dst.write({"geometry": f["geometry"], "properties": props})
        dst.write({"geometry": feats[4]["geometry"],
                   "properties": {**dict(feats[4]["properties"]), "Id": 99}})
    return out


def _exercise(dock):
    """A student's attempt at an exercise made from the demo workspace, checked."""
    import importlib
    import tempfile
    from dataclasses import replace
    from pathlib import Path

    package = type(dock).__module__.rsplit(".gui.", 1)[0]
    exercise = importlib.import_module(f"{package}.core.teaching.exercise")
    store_mod = importlib.import_module(f"{package}.core.labels.store")
    root = Path(tempfile.mkdtemp(prefix="mirage-exercise-demo-"))
    pack = exercise.make_exercise_from_workspace(dock.session.workspace.root, root / "pack",
                                                 "demo workspace")
    key = exercise.extract_reference(pack, root / "key")
    key_store, student = store_mod.LabelStore(key), store_mod.LabelStore(pack / "labels")
    for k, stem in enumerate(key_store.stems()):
        labs = key_store.read(stem).labels
        mine = [replace(lab, id=None) for lab in labs[2:]]  # two signals missed per file
        if k == 0 and mine:
            mine[0] = replace(mine[0], cls="TA" if mine[0].cls != "TA" else "PR")
            w = mine[1].xmax - mine[1].xmin
            mine.append(replace(mine[1], xmin=mine[1].xmin + 3 * w, xmax=mine[1].xmax + 3 * w))
        student.write(stem, mine)
    dock.open_workspace(str(pack))
    dock.wait()
    dock.draw_action.setChecked(False)
    dock.check_exercise()
    dialog = dock.check_dialog
    dialog.resize(700, 520)
    dialog.move(260, 120)
    QTimer.singleShot(6000, _shoot)


def _review(plugin):
    """The review dock on the demo labels: audit findings, the queue on a rock glacier."""
    from qgis.PyQt.QtCore import QCoreApplication, Qt

    plugin.dock.draw_action.setChecked(False)
    plugin.review_action.setChecked(True)
    review = plugin.review
    iface.mainWindow().tabifyDockWidget(plugin.dock, review)
    review.show()
    review.raise_()
    iface.mainWindow().resizeDocks([review], [620], Qt.Orientation.Horizontal)
    review.reviewer.setText("demo reviewer")
    review.folder.setText(str(_flawed_copy(plugin.dock.session.workspace.label_dir)))
    review.load()
    review.audit()
    while review.busy():
        QCoreApplication.processEvents()
    review.filter.setCurrentText("with findings")
    review.step(1)
    review.comment.setText("clear elongated fringe pattern on a debris lobe")
    QTimer.singleShot(6000, _shoot)


def _hover(canvas, x, y):
    """Put the mouse over the map: the linked views mark the same point with a cross."""
    from qgis.PyQt.QtCore import QPoint
    from qgis.PyQt.QtTest import QTest

    p = canvas.getCoordinateTransform().transform(x, y)
    QTest.mouseMove(canvas.viewport(), QPoint(int(p.x()), int(p.y())))


QTimer.singleShot(1000, _start)
