"""The review dock puts the map on a label in the label file's own CRS, whatever the map's:
labels in EPSG:32633 on a map in EPSG:32632 (they used to land some 460 km west), labels in
EPSG:32647 on a map in degrees. After a click on a finding and on each step of the queue the
map's extent holds the label's box converted to the map's CRS, and the outline is drawn
there."""
import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QCoreApplication

from mirage_labeller.core.base.crs import convert_points
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import LabelStore


@pytest.fixture
def canvas(qgis_iface):
    main = qgis_iface.mainWindow()
    main.show()
    c = qgis_iface.mapCanvas()
    c.resize(600, 600)
    QCoreApplication.processEvents()
    yield c
    main.hide()


def write_labels(folder, epsg, lon, lat):
    """Three labels around (lon, lat) written in ``epsg``, two of them the same box (an audit
    finding with the box)."""
    (x,), (y,) = convert_points([lon], [lat], 4326, epsg)
    x, y = round(x / 15) * 15, round(y / 15) * 15

    def box(dx, dy, w, h, cls="RG"):
        return Label(x + dx, y + dy, x + dx + w, y + dy + h, cls=cls, sign_qual=1, class_unc=1,
                     ifg="20190805_20190817", bt=12, traj="A")

    labels = [box(0, 0, 300, 450), box(1500, -900, 600, 300, "DS"), box(1500, -900, 600, 300)]
    stem = "015A_05124_131313_20190805_20190817.geo.diff_pha"
    LabelStore(folder).write(stem, labels, epsg)
    return stem


def on_map(bounds, epsg, canvas) -> QgsRectangle:
    t = QgsCoordinateTransform(QgsCoordinateReferenceSystem(f"EPSG:{epsg}"),
                               canvas.mapSettings().destinationCrs(), QgsProject.instance())
    return t.transformBoundingBox(QgsRectangle(*bounds))


def shows(review, canvas, bounds, epsg, widest) -> None:
    box = on_map(bounds, epsg, canvas)
    extent = canvas.extent()
    assert extent.contains(box), (extent.toString(), box.toString())
    assert extent.width() < widest  # on the label, not on half a continent
    outline = review._band.asGeometry().boundingBox()
    assert outline.contains(box.buffered(-box.width() * 0.01))
    assert box.buffered(box.width() * 0.05).contains(outline)


@pytest.mark.parametrize("label_epsg, map_crs, lon, lat, widest", [
    (32633, "EPSG:32632", 13.6, 46.6, 20_000.0),  # the eastern Alps: zone 33, a map in 32
    (32647, "EPSG:4326", 99.0, 18.8, 0.2),  # northern Thailand: zone 47, a map in degrees
])
def test_findings_and_queue_land_on_the_label(plugin, canvas, tmp_path, label_epsg, map_crs,
                                              lon, lat, widest):
    folder = tmp_path / "labels"
    stem = write_labels(folder, label_epsg, lon, lat)
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem(map_crs))
    review = plugin.review
    review.folder.setText(str(folder))
    assert review.load()
    # the queue: the map on each label in turn
    assert len(review.queue) == 3
    for _ in range(3):
        stem_k, lab = review.current_label()
        assert stem_k == stem
        shows(review, canvas, lab.bounds, label_epsg, widest)
        review.step(1)
    # a click on a finding with a box
    review.audit()
    while review.busy():
        QCoreApplication.processEvents()
    boxed = [r for r, f in enumerate(review.findings) if f.bounds is not None]
    assert boxed, [f.check for f in review.findings]
    canvas.setExtent(QgsRectangle(0, 0, 1, 1))  # somewhere else
    review._finding_clicked(boxed[0], 0)
    shows(review, canvas, review.findings[boxed[0]].bounds, label_epsg, widest)
