"""How long the GUI thread is busy when the dock switches interferograms on 4000 x 4000 rasters.

Real QGIS classes (canvas, dock, linked views, task manager) in an offscreen application. For
each switch it reports: the time show_row() holds the GUI thread, the longest gap between
ticks of a 10 ms timer while the new interferogram is read and drawn (the longest freeze a
user would feel), and the time until the main map has drawn. The reference is QGIS itself:
the same gap measured while the canvas draws the same rasters with no plugin code involved.

Run: make bench (or QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_dock_switch.py).
"""
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

import numpy as np
from qgis.core import QgsApplication, QgsProject, QgsRasterLayer
from qgis.gui import QgsLayerTreeMapCanvasBridge, QgsMapCanvas
from qgis.PyQt.QtCore import QElapsedTimer, Qt, QTimer
from qgis.PyQt.QtWidgets import QMainWindow

SIZE = 4000


class _Bar:
    def pushMessage(self, *args, **kwargs):  # noqa: N802 - QgsMessageBar's API
        pass

    def pushCritical(self, *args, **kwargs):  # noqa: N802
        pass


class _Iface:
    def __init__(self, window, canvas):
        self._window, self._canvas = window, canvas

    def mapCanvas(self):  # noqa: N802
        return self._canvas

    def mainWindow(self):  # noqa: N802
        return self._window

    def messageBar(self):  # noqa: N802
        return _Bar()


def make_workspace(root: Path, n: int = 3) -> None:
    """n interferograms of SIZE x SIZE: a synthetic 1000 x 1000 one, enlarged, plus noise so
    the files compress like real ones."""
    from rasterio.transform import from_origin

    from mirage_labeller.core.base.geotiff import write_geotiff
    from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace

    small = root / "small"
    truth = build_workspace(SynthConfig(str(small), seed=1, size=1000, n_interferograms=n))
    factor = SIZE // 1000
    rng = np.random.default_rng(0)
    transform = from_origin(590000.0, 5160000.0, 15.0, 15.0)
    for sub in ("interferograms", "coherence", "dem"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    import rasterio

    for rec in truth["interferograms"]:
        for rel, noise in ((rec["file"], 0.3), (rec["coherence"], 0.03)):
            with rasterio.open(small / rel) as src:
                data = src.read(1)
            big = np.kron(data, np.ones((factor, factor), "float32"))
            big = big + rng.normal(0, noise, big.shape).astype("float32")
            if "diff_pha" in rel:
                big = np.angle(np.exp(1j * big)).astype("float32")
            else:
                big = np.clip(big, 0, 1).astype("float32")
            write_geotiff(root / rel, big, transform, nodata=float("nan"))
    with rasterio.open(small / "dem" / "dem.tif") as src:
        dem = np.kron(src.read(1), np.ones((factor, factor), "float32"))
    write_geotiff(root / "dem" / "dem.tif", dem, transform)


def run(root: Path) -> None:
    from mirage_labeller.gui.dock import MirageDock
    from mirage_labeller.gui.linked_views import LinkedViews

    window = QMainWindow()
    canvas = QgsMapCanvas(window)
    canvas.setParallelRenderingEnabled(True)
    window.setCentralWidget(canvas)
    bridge = QgsLayerTreeMapCanvasBridge(QgsProject.instance().layerTreeRoot(), canvas)  # as QGIS
    iface = _Iface(window, canvas)
    views = LinkedViews(iface, window)
    dock = MirageDock(iface, window, views)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, views)
    window.resize(1600, 1000)
    window.show()
    app = QgsApplication.instance()

    gaps = []
    clock = QElapsedTimer()
    last = [0]

    def tick():
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)

    def measure(action, label):
        drawn = {"t": None}

        def done():
            drawn["t"] = clock.elapsed()

        canvas.mapCanvasRefreshed.connect(done)
        gaps.clear()
        clock.start()
        last[0] = 0
        timer.start(10)
        t0 = time.perf_counter()
        action()
        held = (time.perf_counter() - t0) * 1000
        while drawn["t"] is None and clock.elapsed() < 60000:
            app.processEvents()
        while dock.layers is not None and dock.layers.loading and clock.elapsed() < 60000:
            app.processEvents()
        settle = clock.elapsed() + 300
        while clock.elapsed() < settle:
            app.processEvents()
        timer.stop()
        canvas.mapCanvasRefreshed.disconnect(done)
        longest = max(gaps) if gaps else float("nan")
        print(f"{label:<38} GUI thread held {held:5.0f} ms · longest freeze {longest:4.0f} ms · "
              f"layers in and drawn after {drawn['t'] or float('nan'):5.0f} ms")
        return held, longest

    results = [measure(lambda: dock.open_workspace(str(root)),
                       "open workspace (first interferogram)")]
    for k in (2, 3):
        results.append(measure(lambda: dock.step(1), f"switch to interferogram {k}"))
    for k in (2, 1):
        results.append(measure(lambda: dock.step(-1), f"back to interferogram {k} (cached)"))
    results.append(measure(lambda: dock.maskCheck.setChecked(True), "restyle: coherence mask on"))

    # reference: QGIS alone drawing the same phase raster, no plugin code
    dock.close_workspace()
    layer = QgsRasterLayer(str(next((root / "interferograms").glob("*.tif"))), "plain")
    QgsProject.instance().addMapLayer(layer)
    canvas.setLayers([layer])
    _, ref = measure(lambda: (canvas.setExtent(layer.extent()), canvas.refresh()),
                     "reference: QGIS draws a 4000² raster")
    worst = max(longest for _, longest in results)
    print(f"longest freeze with the plugin {worst:.0f} ms vs QGIS alone {ref:.0f} ms "
          f"(ratio {worst / max(ref, 1):.1f}); raster size {SIZE}x{SIZE}")
    QgsProject.instance().removeAllMapLayers()
    views.cleanup()
    dock.cleanup()
    del bridge
    # finish the background tasks and delete the widgets before QGIS exits, as the gallery
    # benchmark does: a widget or task left to Python's exit crashes exitQgis
    QgsApplication.taskManager().cancelAll()
    while QgsApplication.taskManager().countActiveTasks():
        app.processEvents()
    for widget in (dock, views, window):
        widget.deleteLater()
    app.sendPostedEvents(None, 0)  # QEvent::DeferredDelete goes with the rest
    app.processEvents()


def main():
    app = QgsApplication([], True)
    app.initQgis()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        make_workspace(Path(tmp))
        print(f"built a workspace of 3 interferograms {SIZE}x{SIZE} in "
              f"{time.perf_counter() - t0:.1f} s")
        run(Path(tmp))
    app.exitQgis()


if __name__ == "__main__":
    main()
