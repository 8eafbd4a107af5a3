"""The audit of a label set: a deliberately broken set where every kind of finding is planted
once, a clean synthetic set with no error, read-only proof by checksums, the CLI."""
import csv
import math
import subprocess
import sys

import fiona
import numpy as np
import pytest
from rasterio.transform import from_origin

from mirage_labeller.core.base.geotiff import write_geotiff
from mirage_labeller.core.dataset.audit import (
    ERROR,
    WARNING,
    audit_label_dir,
    checksums,
    write_findings_csv,
    write_findings_gpkg,
    write_findings_html,
)

STEM = "015A_05124_131313_20190805_20190817.geo.diff_pha"
CANON = {"Id": "int:9", "Class": "str:2", "Sign_Qual": "int:1", "Class_Unc": "int:1",
         "IFG": "str:17", "Bt": "int:4", "Traj": "str:1"}


def box(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[(x0, y0), (x0, y1), (x1, y1), (x1, y0),
                                                (x0, y0)]]}


def cell(k, w=300.0, h=150.0):
    """A box of its own in the good part of the test interferogram."""
    x0, y0 = 590300.0 + (k % 8) * 450.0, 5154300.0 + (k // 8) * 450.0
    return (x0, y0, x0 + w, y0 + h)


def props(i, cls="RG", sq=1, cu=1, ifg="20190805_20190817", bt=12, traj="A"):
    return {"Id": i, "Class": cls, "Sign_Qual": sq, "Class_Unc": cu, "IFG": ifg, "Bt": bt,
            "Traj": traj}


def write(path, records, schema_props=None, crs="EPSG:32632", encoding="utf-8",
          geometry="Polygon"):
    with fiona.open(str(path), "w", driver="ESRI Shapefile", crs=crs, encoding=encoding,
                    schema={"geometry": geometry, "properties": schema_props or CANON}) as dst:
        for geom, p in records:
            dst.write({"geometry": geom, "properties": p})


SENTINEL_X = 592534.25
E, W = ERROR, WARNING  # short, for the table of planted findings


def nan_x(shp):
    """GDAL refuses to write NaN coordinates; a file can still hold them: patch the bytes."""
    import struct

    data = (shp).read_bytes()
    assert struct.pack("<d", SENTINEL_X) in data
    shp.write_bytes(data.replace(struct.pack("<d", SENTINEL_X), struct.pack("<d", float("nan"))))


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """(root, expected): a workspace of one interferogram and label files where each finding
    is planted once; expected = {(file, check, label_id): severity}."""
    root = tmp_path_factory.mktemp("audit") / "ws"
    (root / "interferograms").mkdir(parents=True)
    (root / "coherence").mkdir()
    labels = root / "labels"
    labels.mkdir()
    t = from_origin(590000.0, 5160000.0, 15.0, 15.0)
    rng = np.random.default_rng(0)
    phase = rng.uniform(-3, 3, (400, 400)).astype("float32")
    phase[:, 300:] = np.nan  # x >= 594500: no data
    coh = np.full((400, 400), 0.8, "float32")
    coh[:100] = 0.05  # y >= 5158500: decorrelated
    tags = {"FIRST_DATE": "2019-08-05", "SECOND_DATE": "2019-08-17"}
    write_geotiff(root / "interferograms" / f"{STEM}.tif", phase, t, nodata=float("nan"),
                  tags=tags)
    write_geotiff(root / "coherence" / "015A_05124_131313_20190805_20190817.geo.cc.tif", coh, t,
                  tags=tags)
    f = f"{STEM}.shp"
    recs = [
        (box(*cell(0)), props(1)),  # a good label
        (box(*cell(1)), props(2, cls="XX")),
        (box(*cell(2)), props(3, cls="CF")),  # an Apennine class in the Alps
        (box(*cell(3)), props(4, sq=3)),
        (box(*cell(4)), props(5, cu=0)),
        (box(*cell(5)), props(6, ifg="2019-08-05")),
        (box(*cell(6)), props(7, ifg="20190231_20190305", bt=2)),
        (box(*cell(7)), props(8, ifg="20190817_20190805", bt=-12)),
        (box(*cell(8)), props(9, bt=13)),
        (box(*cell(9)), props(10, traj="X")),
        (box(*cell(10)), props(11, ifg="20190805_20190829", bt=24)),  # not this interferogram
        (box(*cell(11)), props(12, traj="D")),
        (box(*cell(12)), props(0)),
        (box(*cell(13)), props(14)), (box(*cell(14)), props(14)),  # repeated Id
        ({"type": "Polygon", "coordinates": [[(593000, 5156000), (593300, 5156300),
                                              (593300, 5156000), (593000, 5156100),
                                              (593000, 5156000)]]}, props(16)),  # self-crossing
        (None, props(17)),
        (box(cell(17)[0], cell(17)[1], SENTINEL_X, cell(17)[3]), props(18)),  # NaN below
        ({"type": "Polygon", "coordinates": [[(590300, 5156100), (590600, 5156100),
                                              (590300, 5156250), (590300, 5156100)]]},
         props(19)),  # a triangle
        ({"type": "Polygon", "coordinates": [[(591100, 5156100), (591250, 5156250),
                                              (591100, 5156400), (590950, 5156250),
                                              (591100, 5156100)]]}, props(20)),  # a diamond
        (box(591500, 5156100, 591500, 5156250), props(21)),  # no width
        (box(592000, 5156100, 592020, 5156120), props(22)),  # 20 m x 20 m
        (box(593300, 5157400, 594300, 5158400), props(23)),  # 1 km2 of rock glacier
        (box(600000, 5100000, 600300, 5100150), props(24)),  # far away
        (box(589900, 5154300 + 9 * 450, 590200, 5154300 + 9 * 450 + 150), props(25)),
        (box(594800, 5155000, 595400, 5155150), props(26)),  # over nodata
        (box(591000, 5159000, 591300, 5159150), props(27)),  # decorrelated
        (box(*cell(15)), props(28)), (box(*cell(15)), props(29)),  # the same box twice
        (box(*cell(16)), props(30)),
        (box(cell(16)[0], cell(16)[1], cell(16)[2] + 15, cell(16)[3]), props(31)),  # nearly
    ]
    write(labels / f, recs)
    nan_x(labels / f)
    expected = {
        (f, "value.class", 2): E, (f, "value.class_region", 3): W, (f, "value.sign_qual", 4): E,
        (f, "value.class_unc", 5): E, (f, "value.ifg_format", 6): E,
        (f, "value.ifg_date", 7): E, (f, "value.ifg_order", 8): E, (f, "value.bt", 9): E,
        (f, "value.traj", 10): E, (f, "value.ifg_mismatch", 11): E,
        (f, "value.traj_mismatch", 12): E, (f, "value.id", 0): E, (f, "duplicate.id", 14): E,
        (f, "geometry.invalid", 16): E, (f, "geometry.empty", 17): E,
        (f, "geometry.non_finite", 18): E, (f, "geometry.not_rectangle", 19): W,
        (f, "geometry.not_ns", 20): W, (f, "geometry.zero_area", 21): E,
        (f, "geometry.tiny", 22): E, (f, "geometry.huge", 23): W, (f, "geometry.outside", 24): E,
        (f, "geometry.partly_outside", 25): W, (f, "raster.mostly_nodata", 26): W,
        (f, "raster.low_coherence", 27): W, (f, "duplicate.box", 29): W,
        (f, "duplicate.near_box", 31): W,
    }
    # schema problems, one file each (named so that no interferogram matches: also planted)
    good = [(box(*cell(0)), props(1))]
    write(labels / "missing_field.shp", good[:0] + [(box(*cell(0)), {
        k: v for k, v in props(1).items() if k != "Class_Unc"})],
          {k: v for k, v in CANON.items() if k != "Class_Unc"})
    write(labels / "extra_field.shp", [(box(*cell(0)), {**props(1), "Note": "ok"})],
          {**CANON, "Note": "str:20"})
    write(labels / "field_type.shp", [(box(*cell(0)), {**props(1), "Sign_Qual": "1"})],
          {**CANON, "Sign_Qual": "str:1"})
    write(labels / "field_width.shp", [(box(*cell(0)), props(1))], {**CANON, "Class": "str:1"}
          if False else {**CANON, "Bt": "int:2"})
    write(labels / "no_prj.shp", good)
    (labels / "no_prj.prj").unlink()
    write(labels / "utm33.shp", [(box(190000, 5160000, 190300, 5160150), props(1))],
          crs="EPSG:32633")
    write(labels / "latin1.shp", [(box(*cell(0)), {**props(1), "Note": "éboulement"})],
          {**CANON, "Note": "str:20"}, encoding="latin1")
    (labels / "latin1.cpg").write_text("LATIN1")
    write(labels / "points.shp", [({"type": "Point", "coordinates": (590500, 5155000)},
                                   props(1))], geometry="Point")
    write(labels / "no_shx.shp", good)
    (labels / "no_shx.shx").unlink()
    write(labels / "truncated.shp", good * 1)
    data = (labels / "truncated.shp").read_bytes()
    (labels / "truncated.shp").write_bytes(data[:60])
    write(labels / "orphan.shp", good)
    (labels / "orphan.shp").unlink()
    (labels / "orphan.shx").unlink()
    for name, check, sev in (
            ("missing_field", "schema.missing_field", E), ("extra_field", "schema.extra_field", W),
            ("field_type", "schema.field_type", E), ("field_width", "schema.field_width", E),
            ("no_prj", "schema.prj_missing", E), ("utm33", "schema.prj_not_32632", W),
            ("latin1", "schema.encoding", W), ("latin1", "schema.extra_field", W),
            ("points", "schema.geometry_type", E),
            ("no_shx", "schema.missing_file", E), ("truncated", "schema.unreadable", E),
            ("truncated", "schema.damaged", E),
            ("orphan", "schema.missing_file", E)):
        expected[(f"{name}.shp", check, None)] = sev
        if name != "orphan":  # every file but the orphan is looked up in the workspace
            expected[(f"{name}.shp", "value.no_interferogram", None)] = W
    return root, expected


def test_every_planted_finding_is_found_once_with_its_severity(broken):
    root, expected = broken
    before = checksums(root / "labels")
    report = audit_label_dir(root / "labels", root)
    assert checksums(root / "labels") == before  # the audit wrote nothing
    found = {}
    for f in report.findings:
        key = (f.file, f.check, f.label_id)
        assert key not in found, f"found twice: {key}"
        found[key] = f.severity
    assert found == expected
    assert not any(f.file == f"{STEM}.shp" and f.label_id == 1 for f in report.findings)
    assert report.has_errors


def test_clean_synthetic_set_has_no_error(alps_workspace):
    out, _ = alps_workspace
    before = checksums(out / "labels")
    report = audit_label_dir(out / "labels", out)
    assert report.labels > 10 and report.files == 6
    assert report.count(ERROR) == 0, [f.message for f in report.findings if f.severity == ERROR]
    assert checksums(out / "labels") == before


def test_outputs_and_cli(broken, repo_root, tmp_path):
    root, expected = broken
    report = audit_label_dir(root / "labels", root)
    write_findings_csv(report, tmp_path / "f.csv")
    with open(tmp_path / "f.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(expected)
    assert list(rows[0])[:5] == ["severity", "file", "label_id", "check", "message"]
    assert rows[0]["severity"] == "error"  # errors first
    write_findings_gpkg(report, tmp_path / "f.gpkg")
    with fiona.open(str(tmp_path / "f.gpkg"), layer="findings") as src:
        feats = list(src)
    assert len(feats) == len(expected)
    with_box = [ft for ft in feats if ft["geometry"] is not None]
    assert all(math.isfinite(c) for ft in with_box
               for c in np.ravel(ft["geometry"]["coordinates"]))
    write_findings_html(report, tmp_path / "r.html")
    text = (tmp_path / "r.html").read_text()
    assert "geometry.not_ns" in text and f"{report.count(ERROR)} error(s)" in text
    before = checksums(root / "labels")
    cmd = [sys.executable, "-m", "mirage_labeller", "audit", str(root / "labels"), "--ifg",
           str(root), "--csv", str(tmp_path / "cli.csv"), "--html", str(tmp_path / "cli.html")]
    result = subprocess.run(cmd, cwd=repo_root, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr  # there are errors
    assert "Traceback" not in result.stderr
    assert (tmp_path / "cli.csv").read_text() == (tmp_path / "f.csv").read_text()
    assert checksums(root / "labels") == before


def test_cli_exit_zero_without_errors(alps_workspace, repo_root, tmp_path):
    out, _ = alps_workspace
    result = subprocess.run([sys.executable, "-m", "mirage_labeller", "audit",
                             str(out / "labels"), "--ifg", str(out), "--csv",
                             str(tmp_path / "c.csv")], cwd=repo_root, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout


def test_processing_algorithm(broken, qgis_processing, tmp_path):
    import processing
    from qgis.core import QgsApplication

    from mirage_labeller.processing.provider import MirageProvider

    root, expected = broken
    registry = QgsApplication.processingRegistry()
    provider = MirageProvider()
    assert registry.addProvider(provider)
    before = checksums(root / "labels")
    try:
        result = processing.run("mirage:audit", {
            "FOLDER": str(root / "labels"), "WORKSPACE": str(root), "THRESHOLD": 0.2,
            "CSV": str(tmp_path / "p.csv"), "HTML": str(tmp_path / "p.html"),
            "OUTPUT": "memory:"})
    finally:
        registry.removeProvider(provider)
    layer = result["OUTPUT"]
    assert layer.featureCount() == len(expected)
    assert result["ERRORS"] == sum(s == ERROR for s in expected.values())
    assert (tmp_path / "p.html").stat().st_size > 1000
    assert checksums(root / "labels") == before
