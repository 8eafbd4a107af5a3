"""Write the QML styles shipped in resources/styles/ from the plugin's own styling code, so
users can apply them by hand (Layer Properties > Style > Load Style) to any interferogram,
coherence map or label shapefile. Run with Debian's Python: make styles."""
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsRasterLayer, QgsVectorLayer


def main() -> int:
    app = QgsApplication([], False)
    app.initQgis()
    import numpy as np
    from rasterio.transform import from_origin

    from mirage_labeller.core.base.geotiff import write_geotiff
    from mirage_labeller.core.interferograms.facts import ValueEncoding
    from mirage_labeller.gui import styles

    out = ROOT / "resources" / "styles"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        raster = Path(tmp) / "r.tif"
        write_geotiff(raster, np.zeros((4, 4), "float32"), from_origin(0, 0, 15, 15))
        phase = QgsRasterLayer(str(raster), "phase")
        styles.style_phase(phase, ValueEncoding("phase", "radians"))
        coherence = QgsRasterLayer(str(raster), "coherence")
        styles.style_coherence(coherence, ValueEncoding("coherence", "0..1"))
        mask = QgsRasterLayer(str(raster), "mask")
        styles.style_coherence_mask(mask, ValueEncoding("coherence", "0..1"), 0.2)
        labels = QgsVectorLayer("Polygon?crs=EPSG:32632&field=Id:integer&field=Class:string(2)",
                                "labels", "memory")
        styles.style_labels(labels)
        for layer, name in ((phase, "wrapped_phase_cyclic.qml"),
                            (coherence, "coherence_grey.qml"),
                            (mask, "coherence_below_0.2_mask.qml"),
                            (labels, "labels_by_class.qml")):
            message, ok = layer.saveNamedStyle(str(out / name))
            if not ok:
                print(f"{name}: {message}", file=sys.stderr)
                return 1
            print(out / name)
        del phase, coherence, mask, labels, layer  # before their files and QGIS go away
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
