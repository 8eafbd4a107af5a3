"""How long the GUI thread freezes when the step-3 gallery opens on 100 interferograms.

Real QGIS classes in an offscreen application, as bench_dock_switch.py. A synthetic workspace
with 100 interferograms; a label seen in many of them is selected and the gallery opened.
Reports the time show_box() holds the GUI thread, the longest gap between ticks of a 10 ms
timer until the chips are on screen (the longest freeze a user would feel), the time to fill
the gallery once the chips are read, and the total time until the gallery is complete.

Run: make bench (or QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_recurrence_gallery.py).
"""
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

from bench_dock_switch import _Iface
from qgis.core import QgsApplication, QgsProject
from qgis.gui import QgsLayerTreeMapCanvasBridge, QgsMapCanvas
from qgis.PyQt.QtCore import QElapsedTimer, Qt, QTimer
from qgis.PyQt.QtWidgets import QMainWindow

N_IFG = int(os.environ.get("MIRAGE_BENCH_N", 100))


def run(root: Path) -> None:
    from mirage_labeller.core.dataset.processes import group_labels, read_label_dir
    from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace
    from mirage_labeller.gui.dock import MirageDock

    t0 = time.perf_counter()
    build_workspace(SynthConfig(str(root), seed=2, size=600, n_interferograms=N_IFG))
    print(f"workspace of {N_IFG} interferograms (600 x 600) built in "
          f"{time.perf_counter() - t0:.0f} s")
    table = read_label_dir(root / "labels")
    best = max(group_labels(table), key=lambda p: p.n_labels)
    k = int(best.members[0])

    window = QMainWindow()
    canvas = QgsMapCanvas(window)
    window.setCentralWidget(canvas)
    bridge = QgsLayerTreeMapCanvasBridge(QgsProject.instance().layerTreeRoot(), canvas)
    dock = MirageDock(_Iface(window, canvas), window, None)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resize(1600, 1000)
    window.show()
    app = QgsApplication.instance()
    dock.open_workspace(str(root))
    dock.wait()
    dock.show_stem(table.stem[k], select_id=int(table.id[k]))
    dock.wait()
    dock.session.go(3)
    app.processEvents()

    gaps, clock, last = [], QElapsedTimer(), [0]

    def tick():
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    fill_ms = []
    original_fill = dock.recurrence._fill

    def timed_fill(chips):
        t = time.perf_counter()
        original_fill(chips)
        fill_ms.append((time.perf_counter() - t) * 1000)

    dock.recurrence._fill = timed_fill
    clock.start()
    timer.start(10)
    t = time.perf_counter()
    dock.recurrence.show_box()
    held = (time.perf_counter() - t) * 1000
    while dock.recurrence.busy() and clock.elapsed() < 120000:
        app.processEvents()
    total = clock.elapsed()
    settle = clock.elapsed() + 200
    while clock.elapsed() < settle:
        app.processEvents()
    timer.stop()
    n = dock.recurrence.gallery.count()
    print(f"gallery of {n} chips: show_box held the GUI thread {held:.0f} ms; longest freeze "
          f"{max(gaps):.0f} ms (filling the list {fill_ms[0]:.0f} ms); complete after "
          f"{total} ms")
    dock.close_workspace()
    QgsProject.instance().removeAllMapLayers()
    dock.cleanup()
    del bridge
    QgsApplication.taskManager().cancelAll()
    while QgsApplication.taskManager().countActiveTasks():
        app.processEvents()
    dock.deleteLater()
    window.deleteLater()
    app.sendPostedEvents(None, 0)  # QEvent::DeferredDelete goes with the rest
    app.processEvents()


def main():
    app = QgsApplication([], True)
    app.initQgis()
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp) / "ws")
    app.exitQgis()


if __name__ == "__main__":
    main()
