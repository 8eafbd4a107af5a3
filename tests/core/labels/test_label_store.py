"""The label store: exact MIRAGE files out, tolerant reading in, refusal of what it can't trust."""
import hashlib
from collections import OrderedDict
from dataclasses import replace

import fiona
import pytest
from fiona.crs import CRS

from mirage_labeller.core.labels import atomic_fileset
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import (
    BACKUP_DIR,
    LabelFileError,
    LabelStore,
    count_labels,
    read_label_file,
)

STEM = "015A_05124_131313_20190805_20190817.geo.diff_pha"


def lab(i=0, **kw):
    base = dict(xmin=600000.0 + 300 * i, ymin=5100000.0, xmax=600150.0 + 300 * i,
                ymax=5100300.0, cls="RG", sign_qual=1, class_unc=2, ifg="20190805_20190817",
                bt=12, traj="A")
    base.update(kw)
    return Label(**base)


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def foreign(path, props, records, crs=32632, geom_type="Polygon"):
    """A shapefile as another GIS might write it (through GDAL, with its own schema)."""
    schema = {"geometry": geom_type, "properties": OrderedDict(props)}
    with fiona.open(str(path), "w", driver="ESRI Shapefile", schema=schema,
                    crs=CRS.from_epsg(crs) if crs else None) as dst:
        for geom, rec in records:
            dst.write({"geometry": geom, "properties": rec})
    return path


def box(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[(x0, y0), (x0, y1), (x1, y1), (x1, y0), (x0, y0)]]}


def test_round_trip_writes_the_exact_mirage_schema(tmp_path):
    store = LabelStore(tmp_path)
    saved = store.write(STEM, [lab(0), lab(1, cls="PR", sign_qual=2)]).labels
    assert [s.id for s in saved] == [1, 2]
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        assert (tmp_path / f"{STEM}{ext}").exists()
    assert (tmp_path / f"{STEM}.cpg").read_text().strip() == "UTF-8"
    assert "UTM_Zone_32N" in (tmp_path / f"{STEM}.prj").read_text()
    with fiona.open(str(tmp_path / f"{STEM}.shp")) as src:
        assert list(src.schema["properties"].items()) == [
            ("Id", "int:9"), ("Class", "str:2"), ("Sign_Qual", "int:1"), ("Class_Unc", "int:1"),
            ("IFG", "str:17"), ("Bt", "int:4"), ("Traj", "str:1")]
        assert src.crs.to_epsg() == 32632
        first = next(iter(src))
        assert dict(first["properties"]) == {"Id": 1, "Class": "RG", "Sign_Qual": 1,
                                             "Class_Unc": 2, "IFG": "20190805_20190817",
                                             "Bt": 12, "Traj": "A"}
    back = store.read(STEM)
    assert back.labels == saved and back.warnings == [] and back.canonical_schema
    assert back.epsg == 32632
    assert count_labels(tmp_path / f"{STEM}.shp") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{STEM}{e}" for e in (".shp", ".shx", ".dbf", ".prj", ".cpg")] + [".mirage-staging"])


def test_ids_are_unique_and_stable(tmp_path):
    store = LabelStore(tmp_path)
    store.write(STEM, [lab(i) for i in range(3)])
    store.delete(STEM, 2)
    new = store.add(STEM, lab(5))
    assert new.id == 4
    assert [x.id for x in store.read(STEM).labels] == [1, 3, 4]
    # undoing a delete brings the label back under its old Id
    restored = store.add(STEM, lab(1).with_id(2))
    assert restored.id == 2
    changed = store.replace_label(STEM, lab(3, cls="TA").with_id(3))
    assert {x.id: x.cls for x in store.read(STEM).labels} == {1: "RG", 3: "TA", 4: "RG", 2: "RG"}
    with pytest.raises(LabelFileError, match="Id 3 appears twice"):
        store.write(STEM, [lab(0).with_id(3), lab(1).with_id(3)])
    with pytest.raises(LabelFileError, match="no label with Id 99"):
        store.delete(STEM, 99)
    assert changed.cls == "TA"


def test_invalid_label_is_refused_and_the_file_untouched(tmp_path):
    store = LabelStore(tmp_path)
    store.write(STEM, [lab(0)])
    before = digest(tmp_path)
    with pytest.raises(LabelFileError) as exc:
        store.add(STEM, lab(1, bt=6))
    assert STEM in str(exc.value) and "spans 12 days" in str(exc.value)
    assert digest(tmp_path) == before


def test_reading_tolerates_other_gis_and_says_so(tmp_path):
    path = foreign(tmp_path / "other.shp", [
        ("ID", "int:6"), ("class", "str:50"), ("Sign_Qual", "float:5.1"), ("Class_Unc", "str:5"),
        ("IFG", "str:30"), ("Bt", "str:10"), ("Traj", "str:10"), ("Notes", "str:80")],
        [(box(600000, 5100000, 600150, 5100300), {"ID": 0, "class": "rg", "Sign_Qual": 1.0,
                                                   "Class_Unc": "2", "IFG": "20190805-20190817",
                                                   "Bt": "12", "Traj": "asc", "Notes": "x"}),
         (box(600300, 5100000, 600450, 5100300), {"ID": 0, "class": "DG", "Sign_Qual": 2.0,
                                                   "Class_Unc": "1", "IFG": "20190805_20190817",
                                                   "Bt": "12.0", "Traj": "A", "Notes": ""})])
    result = read_label_file(path)
    assert [(x.id, x.cls, x.sign_qual, x.class_unc, x.ifg, x.bt, x.traj)
            for x in result.labels] == [(1, "RG", 1, 2, "20190805_20190817", 12, "A"),
                                        (2, "DG", 2, 1, "20190805_20190817", 12, "A")]
    text = "\n".join(result.warnings)
    for fragment in ("field 'ID' read as 'Id'", "field 'class' read as 'Class'",
                     "extra field(s) Notes", "Class in lower case", "Bt stored as text",
                     "Sign_Qual stored as decimal numbers", "Traj written as 'asc'",
                     "IFG written with another separator", "got new Ids"):
        assert fragment in text, fragment
    assert not result.canonical_schema


def test_rewriting_a_foreign_file_keeps_a_backup(tmp_path):
    foreign(tmp_path / f"{STEM}.shp", [
        ("Id", "int:6"), ("Class", "str:50"), ("Sign_Qual", "int:2"), ("Class_Unc", "int:2"),
        ("IFG", "str:30"), ("Bt", "int:5"), ("Traj", "str:3"), ("Notes", "str:80")],
        [(box(600000, 5100000, 600150, 5100300), {"Id": 4, "Class": "RG", "Sign_Qual": 1,
                                                   "Class_Unc": 2, "IFG": "20190805_20190817",
                                                   "Bt": 12, "Traj": "A", "Notes": "keep me"})])
    (tmp_path / f"{STEM}.qix").write_bytes(b"stale spatial index")
    original = digest(tmp_path)
    store = LabelStore(tmp_path)
    result = store.add(STEM, lab(1))
    assert result.id == 5
    backups = list((tmp_path / BACKUP_DIR).iterdir())
    assert len(backups) == 1
    assert digest(backups[0]) == {k: v for k, v in original.items()}
    assert not (tmp_path / f"{STEM}.qix").exists()  # would no longer match the geometry
    again = store.read(STEM)
    assert again.canonical_schema and [x.id for x in again.labels] == [4, 5]
    store.add(STEM, lab(2))
    assert len(list((tmp_path / BACKUP_DIR).iterdir())) == 1  # only before the first rewrite


@pytest.mark.parametrize("props, record, geom, geom_type, fragment", [
    ([("Id", "int:4"), ("Class", "str:2")], {"Id": 1, "Class": "RG"},
     box(0, 0, 15, 15), "Polygon", "missing field(s) Sign_Qual, Class_Unc, IFG, Bt, Traj"),
    (None, None, {"type": "Point", "coordinates": (0, 0)}, "Point", "not polygons"),
    (None, {"Sign_Qual": "high"}, box(0, 0, 15, 15), "Polygon", "Sign_Qual is 'high'"),
    (None, {"Bt": "12.5"}, box(0, 0, 15, 15), "Polygon", "Bt is '12.5'"),
    (None, {"Class": ""}, box(0, 0, 15, 15), "Polygon", "Class is empty"),
    (None, None, None, "Polygon", "has no geometry"),
])
def test_untrustworthy_files_are_refused_naming_file_and_record(tmp_path, props, record, geom,
                                                                geom_type, fragment):
    props = props or [("Id", "int:4"), ("Class", "str:2"), ("Sign_Qual", "str:5"),
                      ("Class_Unc", "int:1"), ("IFG", "str:17"), ("Bt", "str:5"), ("Traj", "str:1")]
    rec = {"Id": 1, "Class": "RG", "Sign_Qual": "1", "Class_Unc": 1, "IFG": "20190805_20190817",
           "Bt": "12", "Traj": "A"}
    rec.update(record or {})
    rec = {k: v for k, v in rec.items() if k in dict(props)}
    path = foreign(tmp_path / "bad.shp", props, [(geom, rec)], geom_type=geom_type)
    with pytest.raises(LabelFileError) as exc:
        read_label_file(path)
    assert "bad.shp" in str(exc.value) and fragment in str(exc.value)


def test_truncated_or_incomplete_shapefiles_are_refused(tmp_path):
    store = LabelStore(tmp_path)
    store.write(STEM, [lab(0), lab(1)])
    shp = tmp_path / f"{STEM}.shp"
    shp.write_bytes(shp.read_bytes()[:60])
    with pytest.raises(LabelFileError, match=STEM):
        read_label_file(shp)
    (tmp_path / f"{STEM}.dbf").unlink()
    with pytest.raises(LabelFileError, match=r"missing \.dbf"):
        read_label_file(shp)


def test_missing_prj_is_assumed_mirage_with_a_warning(tmp_path):
    store = LabelStore(tmp_path)
    store.write(STEM, [lab(0)])
    (tmp_path / f"{STEM}.prj").unlink()
    result = read_label_file(tmp_path / f"{STEM}.shp")
    assert result.epsg == 32632 and any("no .prj" in w for w in result.warnings)


def test_other_crs_is_kept_on_rewrite(tmp_path):
    store = LabelStore(tmp_path)
    store.write(STEM, [lab(0)], crs=32614)
    store.add(STEM, lab(1))
    assert store.read(STEM).epsg == 32614


def test_non_rectangles_are_read_as_their_bounding_box_with_a_warning(tmp_path):
    tilted = {"type": "Polygon", "coordinates": [[(0, 0), (10, 50), (60, 40), (50, -10), (0, 0)]]}
    path = foreign(tmp_path / "t.shp", [("Id", "int:4"), ("Class", "str:2"), ("Sign_Qual", "int:1"),
                                        ("Class_Unc", "int:1"), ("IFG", "str:17"), ("Bt", "int:4"),
                                        ("Traj", "str:1")],
                   [(tilted, {"Id": 1, "Class": "RG", "Sign_Qual": 1, "Class_Unc": 1,
                              "IFG": "20190805_20190817", "Bt": 12, "Traj": "A"})])
    result = read_label_file(path)
    assert result.labels[0].bounds == (0.0, -10.0, 60.0, 50.0)
    assert any("not an N-S rectangle" in w for w in result.warnings)


def test_recovery_rolls_back_an_uncommitted_save_and_forward_a_committed_one(tmp_path):
    store = LabelStore(tmp_path)
    store.write(STEM, [lab(0)])
    before = digest(tmp_path)
    # a save that died before its commit point: a stage without journal
    stage = atomic_fileset.new_stage(tmp_path, STEM)
    (stage / f"{STEM}.shp").write_bytes(b"half")
    assert [x.id for x in store.read(STEM).labels] == [1]
    assert digest(tmp_path) == before
    assert not (tmp_path / ".mirage-staging" / STEM).exists()
    # a save that died after its commit point, with one file moved in and the rest staged
    other = tmp_path / "other"
    LabelStore(other).write(STEM, [lab(0), lab(1)])
    stage = atomic_fileset.new_stage(tmp_path, STEM)
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        (stage / f"{STEM}{ext}").write_bytes((other / f"{STEM}{ext}").read_bytes())
    import json
    journal = {"stage": stage.name, "files": sorted(p.name for p in stage.iterdir()), "stale": []}
    (tmp_path / ".mirage-staging" / STEM / "journal.json").write_text(json.dumps(journal))
    (stage / f"{STEM}.dbf").replace(tmp_path / f"{STEM}.dbf")  # the crash came mid-move
    assert [x.id for x in store.read(STEM).labels] == [1, 2]
    assert not (tmp_path / ".mirage-staging" / STEM).exists()


def test_deleted_ids_are_not_reused_so_undo_can_restore_them(tmp_path):
    store = LabelStore(tmp_path)
    store.write(STEM, [lab(0), lab(1), lab(2)])
    store.delete(STEM, 3)  # the highest Id
    assert store.add(STEM, lab(4)).id == 4
    assert store.add(STEM, lab(2).with_id(3)).id == 3  # undo of the delete
    assert sorted(x.id for x in store.read(STEM).labels) == [1, 2, 3, 4]


def test_a_foreign_file_with_a_bad_record_can_still_be_added_to(tmp_path):
    props = [("Id", "int:4"), ("Class", "str:10"), ("Sign_Qual", "int:1"), ("Class_Unc", "int:1"),
             ("IFG", "str:17"), ("Bt", "int:4"), ("Traj", "str:1")]
    good = {"Id": 1, "Class": "RG", "Sign_Qual": 1, "Class_Unc": 1, "IFG": "20190805_20190817",
            "Bt": 12, "Traj": "A"}
    foreign(tmp_path / f"{STEM}.shp", props, [
        (box(600000, 5100000, 600150, 5100300), good),
        (box(600300, 5100000, 600450, 5100300), dict(good, Id=2, Class="XX", Bt=6))])
    store = LabelStore(tmp_path)
    assert store.add(STEM, lab(3)).id == 3
    kept = {x.id: (x.cls, x.bt) for x in store.read(STEM).labels}
    assert kept == {1: ("RG", 12), 2: ("XX", 6), 3: ("RG", 12)}  # nothing lost, nothing "fixed"
    with pytest.raises(LabelFileError, match="label 2"):
        store.replace_label(STEM, lab(1, cls="XX", bt=6).with_id(2))  # a change must be valid
    # a value the MIRAGE widths cannot hold is refused rather than cut
    foreign(tmp_path / "wide.shp", props, [(box(600000, 5100000, 600150, 5100300),
                                            dict(good, Class="ROCKGL"))])
    with pytest.raises(LabelFileError, match="longer than its field"):
        store.add("wide", lab(1))


def test_reading_never_writes_into_a_folder(tmp_path):
    foreign(tmp_path / "x.shp", [("Id", "int:4"), ("Class", "str:2"), ("Sign_Qual", "int:1"),
                                 ("Class_Unc", "int:1"), ("IFG", "str:17"), ("Bt", "int:4"),
                                 ("Traj", "str:1")], [])
    before = sorted(p.name for p in tmp_path.iterdir())
    store = LabelStore(tmp_path)
    assert store.read("x").labels == [] and store.read("missing").labels == []
    assert store.exists("x") and store.count("x") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_move_that_fails_is_reported_and_kept_for_later(tmp_path):
    import json

    store = LabelStore(tmp_path)
    store.write(STEM, [lab(0)])
    stage = atomic_fileset.new_stage(tmp_path, STEM)
    (stage / f"{STEM}.cpg").write_text("UTF-8")
    (tmp_path / f"{STEM}.cpg").unlink()
    (tmp_path / f"{STEM}.cpg").mkdir()  # something in the way that cannot be replaced
    journal = {"stage": stage.name, "files": [f"{STEM}.cpg"], "stale": []}
    (tmp_path / ".mirage-staging" / STEM / "journal.json").write_text(json.dumps(journal))
    with pytest.raises(LabelFileError, match="cannot be replaced"):
        store.read(STEM)
    assert (tmp_path / ".mirage-staging" / STEM / "journal.json").exists()
    (tmp_path / f"{STEM}.cpg").rmdir()
    assert [x.id for x in store.read(STEM).labels] == [1]  # completes once the way is free


def test_a_box_in_another_crs_comes_into_the_files_crs(tmp_path):
    """A file in EPSG:32633 (say, a LiCSAR frame east of 12 E) and a box drawn in EPSG:32632:
    the file keeps its CRS and its labels; only the new box is converted."""
    from rasterio.warp import transform_bounds

    from mirage_labeller.core.labels.schema import Label
    from mirage_labeller.core.labels.store import LabelStore

    store = LabelStore(tmp_path)
    old = Label(300000, 5150000, 300300, 5150150, "RG", 1, 1, "20190805_20190817", 12, "A")
    store.write("f", [old], 32633)
    box32 = (760000.0, 5150000.0, 760300.0, 5150150.0)
    new = Label(*box32, cls="RG", sign_qual=1, class_unc=1, ifg="20190805_20190817", bt=12,
                traj="A")
    store.add("f", new, 32632)
    back = store.read("f")
    assert back.epsg == 32633
    assert back.labels[0].bounds == old.bounds  # not moved
    expected = transform_bounds("EPSG:32632", "EPSG:32633", *box32, densify_pts=21)
    assert back.labels[1].bounds == pytest.approx(expected, abs=1e-3)
    assert abs(back.labels[1].xmin - box32[0]) > 1000  # really converted

    # changing an existing label's attributes with a CRS given does not move it
    cur = store.read("f").labels
    store.write("f", [cur[0], replace(cur[1], cls="PR")], 32632)
    again = store.read("f").labels
    assert again[1].bounds == cur[1].bounds and again[1].cls == "PR"
