"""The review dock in QGIS: audit findings in a table (a click zooms to the label), a queue
stepped through with the map on each label, decisions logged beside the labels with the
label files untouched, and fixes applied only on request."""
import pytest
from qgis.core import QgsRectangle
from qgis.PyQt.QtCore import QCoreApplication

from mirage_labeller.core.dataset.audit import checksums
from mirage_labeller.core.dataset.review import ReviewLog, review_log_path
from mirage_labeller.core.labels.store import LabelStore
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace


@pytest.fixture
def workspace(tmp_path):
    out = tmp_path / "ws"
    build_workspace(SynthConfig(str(out), seed=5, size=500, n_interferograms=4))
    # a duplicate Id planted in one file: an error the audit must list
    store = LabelStore(out / "labels")
    stem = store.stems()[0]
    import fiona

    shp = out / "labels" / f"{stem}.shp"
    with fiona.open(str(shp)) as src:
        schema, crs, feats = src.schema, src.crs, [dict(f) for f in src]
    with fiona.open(str(shp), "w", driver="ESRI Shapefile", schema=schema, crs=crs) as dst:
        for k, f in enumerate(feats):
            props = dict(f["properties"])
            if k == 1:
                props["Id"] = feats[0]["properties"]["Id"]
            if k == 2:
                props["Sign_Qual"] = 3
            dst.write({"geometry": f["geometry"], "properties": props})
    return out, stem


def test_audit_queue_decide_apply(plugin, workspace, qgis_iface):
    out, stem = workspace
    qgis_iface.mainWindow().show()
    qgis_iface.mapCanvas().resize(600, 600)
    plugin.dock.open_workspace(str(out))
    plugin.dock.wait()
    plugin.review_action.setChecked(True)
    review = plugin.review
    assert review.isUserVisible() and review.folder.text() == str(out / "labels")
    assert review.load()
    before = checksums(out / "labels")
    review.audit()
    while review.busy():
        QCoreApplication.processEvents()
    assert review.table.rowCount() == len(review.findings) > 0
    dup = next(r for r, f in enumerate(review.findings) if f.check == "duplicate.id")
    assert review.table.item(dup, 0).text() == "error"
    # a click on a finding with a box zooms the map to that label
    boxed = next(r for r, f in enumerate(review.findings) if f.check == "value.sign_qual")
    review._finding_clicked(boxed, 0)
    plugin.dock.wait()
    extent = qgis_iface.mapCanvas().extent()
    x0, y0, x1, y1 = review.findings[boxed].bounds
    assert extent.contains(QgsRectangle(x0, y0, x1, y1))
    # the queue: every RG label, the map on each
    review.filter.setCurrentText("class RG")
    assert review.queue and all(lab.cls == "RG" for _, lab in review.queue)
    first_stem, first = review.current_label()
    review.reviewer.setText("ana")
    review.comment.setText("atmosphere, not a rock glacier")
    review.decide("reject")
    assert review.position == 1  # on to the next one
    s2, second = review.current_label()
    review.cls.setCurrentText("PR")
    review.decide("change")
    plugin.dock.wait()
    extent = qgis_iface.mapCanvas().extent()
    assert extent.contains(QgsRectangle(*review.current_label()[1].bounds))
    log = ReviewLog(review_log_path(out / "labels"))
    latest = log.latest()
    assert latest[(first_stem, first.id)].decision == "reject"
    assert latest[(first_stem, first.id)].comment == "atmosphere, not a rock glacier"
    assert latest[(s2, second.id)].cls == "PR" and latest[(s2, second.id)].reviewer == "ana"
    assert checksums(out / "labels") == before  # audit and review wrote nothing there
    result = review.apply_now()  # the dialog's Yes, without the dialog
    assert result.removed == 1 and result.modified == 1
    ids = {lab.id for lab in LabelStore(out / "labels").read(first_stem).labels}
    assert first.id not in ids
    changed = {lab.id: lab for lab in LabelStore(out / "labels").read(s2).labels}
    assert changed[second.id].cls == "PR"
    assert (out / "labels" / ".mirage-backup").is_dir()
    qgis_iface.mainWindow().hide()


def test_agreement_from_the_dock(plugin, workspace, tmp_path):
    import shutil

    from mirage_labeller.core.dataset.agreement import compare_label_sets

    out, _ = workspace
    other = tmp_path / "other"
    shutil.copytree(out / "labels", other, ignore=shutil.ignore_patterns(".mirage*"))
    store = LabelStore(other)
    stem = store.stems()[-1]
    store.write(stem, store.read(stem).labels[1:])  # B missed one label
    review = plugin.review
    review.folder.setText(str(out / "labels"))
    assert review.load() and review.agree_button.isEnabled()
    review.agreement(str(other))
    while review.busy():
        QCoreApplication.processEvents()
    expected = compare_label_sets(out / "labels", other)
    got = review.last_agreement
    assert got is not None and len(got.pairs) == len(expected.pairs)
    assert len(got.unmatched_a) == len(expected.unmatched_a) >= 1
    assert review.agreement_dialog is not None
    review.agreement_dialog.close()


def test_report_from_the_dock(plugin, workspace):
    out, _ = workspace
    review = plugin.review
    review.folder.setText(str(out / "labels"))
    assert review.report_button.isEnabled()
    review.report(open_it=False)
    while review.busy():
        QCoreApplication.processEvents()
    result = review.last_report
    assert result is not None and result.html.is_file()
    assert result.html.parent == out / "labels.report"
    assert "Table 2" in result.html.read_text()
