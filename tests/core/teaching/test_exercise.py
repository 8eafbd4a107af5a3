"""Workshop exercises: a pack whose key is hidden, and scoring that finds exactly the
mistakes planted in a student's labels."""
import json
import zipfile
from dataclasses import replace

import pytest

from mirage_labeller.core.base.errors import InputError
from mirage_labeller.core.interferograms.state import read_sidecar
from mirage_labeller.core.interferograms.workspace import open_workspace
from mirage_labeller.core.labels.store import LabelStore
from mirage_labeller.core.teaching.exercise import (
    EXERCISE_JSON,
    REFERENCE_ZIP,
    exercise_min_iou,
    extract_reference,
    is_exercise,
    make_exercise_from_workspace,
    make_synthetic_exercise,
)
from mirage_labeller.core.teaching.scoring import (
    ARTEFACT,
    CONFUSION,
    FALSE_ALARM,
    MISSED,
    score_labels,
    write_scoreboard,
)


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    root = tmp_path_factory.mktemp("ex")
    out = make_synthetic_exercise(root / "pack", seed=5, difficulty="medium", size=700,
                                  n_interferograms=8)
    key = extract_reference(out, root / "key")
    return out, key


def test_pack_hides_the_key_and_starts_strict(pack):
    out, key = pack
    assert is_exercise(out)
    assert not (out / "truth.json").exists()
    assert list((out / "labels").iterdir()) == []
    visible = [p for p in out.rglob("*") if not any(part.startswith(".") for part in
                                                    p.relative_to(out).parts)]
    assert not any(p.suffix in (".shp", ".dbf", ".shx") for p in visible)
    with zipfile.ZipFile(out / REFERENCE_ZIP) as zf:
        assert any(n.endswith(".shp") for n in zf.namelist())
    state, _ = read_sidecar(out)
    assert state.settings.strict
    ws = open_workspace(out)
    assert len(ws.interferograms) == 8 and ws.label_dir == out / "labels"
    assert sum(LabelStore(key).count(s) for s in LabelStore(key).stems()) > 5
    meta = json.loads((out / ".mirage" / "exercise" / "exercise.json").read_text())
    assert meta["difficulty"]["name"] == "medium"


def test_pack_from_a_workspace_copies_only_what_students_label_from(tmp_path):
    """Review logs, notes, reports and backups of the teacher's workspace could give the key
    away: only rasters, inventories and basemaps go into the pack, and no file of the pack
    names the teacher's folder."""
    import geopandas as gpd
    from shapely.geometry import box

    from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace

    src = tmp_path / "teacher"
    build_workspace(SynthConfig(str(src), seed=2, size=300, n_interferograms=3))
    (src / "labels.review.csv").write_text("stem,id,decision\nx,1,accept RG\n")
    (src / "notes.txt").write_text("the RG in the north is the one they miss")
    (src / "interferograms" / "answers.md").write_text("RG at 650000 5120000")
    (src / "audit").mkdir()
    (src / "audit" / "audit.html").write_text("<p>3 labels</p>")
    (src / "old_labels").mkdir()
    gpd.GeoDataFrame({"Class": ["RG"]}, geometry=[box(0, 0, 10, 10)], crs=32632).to_file(
        src / "old_labels" / "copy.shp")
    (src / "inventories").mkdir()
    gpd.GeoDataFrame({"name": ["rg1"]}, geometry=[box(0, 0, 10, 10)], crs=32632).to_file(
        src / "inventories" / "rock_glaciers.shp")
    (src / "basemaps").mkdir()
    (src / "basemaps" / "osm.xyz").write_text("https://tile.example/{z}/{x}/{y}.png\n")
    (src / ".mirage").mkdir(exist_ok=True)
    (src / ".mirage" / "secret.json").write_text("{}")
    out = make_exercise_from_workspace(src, tmp_path / "pack", min_iou=0.3)
    visible = sorted(str(p.relative_to(out)) for p in out.rglob("*")
                     if p.is_file() and not p.relative_to(out).parts[0].startswith("."))
    rasters = sorted(str(p.relative_to(src)) for p in src.rglob("*.tif"))
    inventory = sorted(f"inventories/rock_glaciers.{e}" for e in ("cpg", "dbf", "prj", "shp",
                                                                   "shx"))
    assert visible == sorted(rasters + inventory + ["basemaps/osm.xyz", "README.md"])
    assert sorted(p.name for p in (out / ".mirage").rglob("*") if p.is_file()) == \
        ["exercise.json", "reference.zip", "state.json"]
    for p in out.rglob("*"):
        if p.is_file() and p.suffix != ".tif":
            assert str(src).encode() not in p.read_bytes(), p
    assert exercise_min_iou(out) == 0.3
    (out / EXERCISE_JSON).write_text("{not json")
    assert exercise_min_iou(out) == 0.2  # a damaged exercise.json falls back to the default


def test_a_damaged_key_is_said_so(pack, tmp_path):
    import shutil

    out, _ = pack
    copy = tmp_path / "pack"
    shutil.copytree(out, copy)
    z = copy / REFERENCE_ZIP
    z.write_bytes(z.read_bytes()[: z.stat().st_size // 2])
    with pytest.raises(InputError, match="exercise key is damaged"):
        extract_reference(copy, tmp_path / "key")


def test_scoring_converts_a_student_file_in_another_crs(pack, tmp_path):
    """A student whose files ended up in WGS 84 is scored in the key's UTM: same signals."""
    import geopandas as gpd

    out, key = pack
    student = tmp_path / "student"
    student.mkdir()
    for shp in sorted(key.glob("*.shp")):
        gpd.read_file(shp).to_crs(4326).to_file(student / shp.name)
    score = score_labels(student, key)
    assert score.reference > 5 and score.found == score.reference == score.student
    assert score.mistakes == []
    assert any("converted to EPSG:32632" in n for n in score.notes)
    assert not any(n.startswith("not read") for n in score.notes)


def test_scoring_returns_exactly_the_planted_mistakes(pack, tmp_path):
    out, key = pack
    ref = LabelStore(key)
    student = LabelStore(tmp_path / "student")
    planted = {MISSED: set(), FALSE_ALARM: set(), CONFUSION: set(), ARTEFACT: set()}
    artefact_done = False
    missed_left, confused_left = 2, 2
    for stem in ref.stems():
        mine = []
        for lab in ref.read(stem).labels:
            if lab.cls == "AR" and not artefact_done:
                mine.append(replace(lab, cls="RG", id=None))
                planted[ARTEFACT].add((stem, lab.id))
                artefact_done = True
            elif lab.cls != "AR" and missed_left:
                planted[MISSED].add((stem, lab.id))
                missed_left -= 1
            elif lab.cls != "AR" and confused_left:
                mine.append(replace(lab, cls="TA" if lab.cls != "TA" else "PR", id=None))
                planted[CONFUSION].add((stem, lab.id))
                confused_left -= 1
            else:
                # redrawn a little smaller: still the same signal at IoU >= 0.2
                w, h = lab.xmax - lab.xmin, lab.ymax - lab.ymin
                mine.append(replace(lab, xmin=lab.xmin + 0.1 * w, xmax=lab.xmax - 0.1 * w,
                                    ymin=lab.ymin + 0.1 * h, id=None))
        student.write(stem, mine)
    assert artefact_done and not missed_left and not confused_left
    stem = ref.stems()[0]
    extra = [replace(ref.read(stem).labels[0], xmin=1.0, ymin=1.0, xmax=301.0, ymax=151.0,
                     cls="RG", id=None)]  # far from any signal
    saved = student.write(stem, student.read(stem).labels + extra).labels
    planted[FALSE_ALARM].add((stem, saved[-1].id))
    score = score_labels(tmp_path / "student", key)
    got = {kind: set() for kind in planted}
    for m in score.mistakes:
        got[m.kind].add((m.stem, m.reference_id if m.kind in (MISSED, CONFUSION, ARTEFACT)
                         else m.student_id))
        assert m.feedback
    assert got == planted
    n_ref = sum(ref.count(s) for s in ref.stems())
    assert score.reference == n_ref and score.found == n_ref - 2 - 1  # missed and artefact
    confusion = next(m for m in score.mistakes if m.kind == CONFUSION)
    assert "the key says" in confusion.feedback
    board = write_scoreboard({"ana": score}, tmp_path / "board.csv")
    text = board.read_text().splitlines()
    assert text[0].startswith("student,found,missed") and text[1].startswith(
        f"ana,{n_ref - 3},2,1,1,2,")


def test_flat_terrain_and_single_interferogram_feedback(pack, tmp_path):
    from mirage_labeller.core.terrain.morphometry import derive_morphometry

    out, key = pack
    derive_morphometry(out / "dem" / "dem.tif", tmp_path / "terrain", ["slope"])
    import numpy as np
    import rasterio

    with rasterio.open(tmp_path / "terrain" / "slope.tif") as src:
        slope = src.read(1, masked=True).filled(np.nan)
        t = src.transform
    rows, cols = np.nonzero(np.isfinite(slope) & (slope < 2.0))
    r, c = rows[len(rows) // 2], cols[len(cols) // 2]
    x, y = t.c + c * t.a, t.f + r * t.e
    ref = LabelStore(key)
    stem = ref.stems()[0]
    lab = ref.read(stem).labels[0]
    flat = replace(lab, xmin=x, ymin=y - 30, xmax=x + 30, ymax=y, id=None)
    student = LabelStore(tmp_path / "s")
    student.write(stem, [flat])
    score = score_labels(tmp_path / "s", key, slope_path=str(tmp_path / "terrain" / "slope.tif"))
    alarm = next(m for m in score.mistakes if m.kind == FALSE_ALARM)
    assert "flat terrain" in alarm.feedback and "atmosphere" in alarm.feedback
    # a key signal seen in several interferograms, labelled by the student in only one
    seen_many = None
    from mirage_labeller.core.dataset.processes import group_labels, read_label_dir

    table = read_label_dir(key)
    for p in group_labels(table):
        if p.n_labels > 1:
            seen_many = int(p.members[0])
            break
    assert seen_many is not None
    s2 = LabelStore(tmp_path / "s2")
    one = [lab for lab in LabelStore(key).read(table.stem[seen_many]).labels
           if lab.id == int(table.id[seen_many])]
    s2.write(table.stem[seen_many], one)
    notes = score_labels(tmp_path / "s2", key).notes
    assert any("seen in only one interferogram" in n for n in notes)


def test_check_my_work_in_the_dock(pack, plugin_package, qgis_iface, qgis_new_project):
    """Before the check nothing of the key is in the layer tree; after it, the key's boxes
    are shown beside the student's, with the feedback."""
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    out, key = pack
    plugin = plugin_package.classFactory(qgis_iface)
    plugin.initGui()
    try:
        dock = plugin.dock
        assert dock.open_workspace(str(out))
        dock.wait()
        assert dock.check_button.isVisibleTo(dock)
        sources = [layer.source() for layer in QgsProject.instance().mapLayers().values()]
        assert not any(".mirage" in s or "key" in s.lower() for s in sources)
        assert not any(layer.name() == "exercise key"
                       for layer in QgsProject.instance().mapLayers().values())
        score = dock.check_exercise()
        assert score is not None and score.reference > 0 and score.student == 0
        assert score.count(MISSED) == score.reference  # nothing labelled yet: all missed
        key_layer = dock.layers.reference
        assert key_layer is not None and key_layer.featureCount() == score.reference
        assert dock.check_dialog is not None
        dock.check_dialog.close()
    finally:
        plugin.unload()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def test_a_damaged_key_in_the_dock_is_a_message(pack, plugin_package, qgis_iface,
                                                qgis_new_project, tmp_path):
    import shutil

    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    out, _ = pack
    copy = tmp_path / "pack"
    shutil.copytree(out, copy)
    (copy / REFERENCE_ZIP).write_bytes(b"PK\x03\x04 not a zip any more")
    plugin = plugin_package.classFactory(qgis_iface)
    plugin.initGui()
    try:
        dock = plugin.dock
        assert dock.open_workspace(str(copy))
        dock.wait()
        from qgis.core import Qgis

        qgis_iface.messageBar().clear_messages()
        assert dock.check_exercise() is None
        messages = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)
        assert len(messages) == 1 and "exercise key is damaged" in messages[0]
        assert str(copy / REFERENCE_ZIP) in messages[0]
        assert dock.layers.reference is None
    finally:
        plugin.unload()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def test_class_guide_lists_the_ten_classes_with_examples(pack, plugin_package, qgis_iface,
                                                         qgis_new_project, tmp_path):
    import shutil

    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    from mirage_labeller.core.labels.classes import CLASSES
    from mirage_labeller.core.teaching.guide import class_examples, describe

    out, key = pack
    ws_dir = tmp_path / "ws"  # the teacher's view: the pack with its key as labels
    shutil.copytree(out, ws_dir, ignore=shutil.ignore_patterns(".mirage"))
    shutil.rmtree(ws_dir / "labels")
    shutil.copytree(key, ws_dir / "labels")
    plugin = plugin_package.classFactory(qgis_iface)
    plugin.initGui()
    try:
        dock = plugin.dock
        dock.open_workspace(str(ws_dir))
        dock.wait()
        guide = dock.show_class_guide()
        while guide.busy():
            QCoreApplication.processEvents()
        assert guide.table.rowCount() == 10
        assert [guide.table.item(r, 0).text() for r in range(10)] == list(CLASSES)
        assert guide.table.item(list(CLASSES).index("RG"), 1).text() == describe(CLASSES["RG"])
        assert "elongated, homogeneous" in describe(CLASSES["RG"])
        ws = dock.session.workspace
        expected = class_examples(ws.interferograms, dock.session.store)
        for code, read in expected.items():
            shown = guide.examples[code]
            if read:  # examples from the labels, none made up
                assert len(shown) == len(read) and not any(c.synthetic for c in shown)
            else:  # no label of the class here (the Apennine ones): one synthetic example
                assert len(shown) == 1 and shown[0].synthetic and shown[0].rgba is not None
        assert len(guide.examples["RG"]) == 3
        assert not expected["CF"] and guide.examples["CF"][0].synthetic
        cell = guide.table.cellWidget(list(CLASSES).index("RG"), 2)
        assert sum(1 for w in cell.children() if hasattr(w, "pixmap") and w.pixmap()) == 3
        guide.close()
    finally:
        plugin.unload()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


@pytest.mark.parametrize("code", ["RG", "PR", "TA", "DG", "RS", "DS", "CF", "CS", "FS", "AR"])
def test_synthetic_class_examples_follow_the_class(code):
    """A class without labels in the workspace is shown by the generator's own recipe: the
    fringes are visible (>= 0.3 cycle) and readable (<= 2 rad/px), the box sits around the
    body, and elongated classes are elongated the right way."""
    import math

    import numpy as np

    from mirage_labeller.core.synthetic.generator import RECIPES
    from mirage_labeller.core.teaching.guide import synthetic_example, synthetic_signal

    phase, (r0, r1, c0, c1), bt = synthetic_signal(code)
    assert np.abs(phase).max() >= 0.3 * 2 * math.pi
    gy, gx = np.gradient(phase)
    assert np.hypot(gx, gy).max() <= 2.0
    outside = np.ones(phase.shape, bool)
    outside[r0:r1, c0:c1] = False
    assert np.abs(phase[outside]).max() < 0.1 * np.abs(phase).max() + 1e-9
    n = phase.shape[0]
    assert 0 < r0 and r1 < n and 0 < c0 and c1 < n
    if code in RECIPES and RECIPES[code].elongation >= 1.8:
        across = RECIPES[code].across_slope  # east-facing slope: downslope is east-west
        long_side, short_side = ((r1 - r0), (c1 - c0)) if across else ((c1 - c0), (r1 - r0))
        assert long_side > 1.4 * short_side
    chip = synthetic_example(code)
    assert chip.synthetic and chip.rgba.shape == (n, n, 4) and chip.bt == bt


def test_a_pack_carries_only_the_key_files_and_is_scorable(tmp_path):
    """A hidden file or a link in the teacher's labels/ stays out of the key (the key's
    reader refuses such names), so the pack can be scored."""
    from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace
    from mirage_labeller.core.teaching.exercise import make_exercise_from_workspace

    src = tmp_path / "ws"
    build_workspace(SynthConfig(str(src), seed=2, size=300, n_interferograms=2))
    (src / "labels" / ".DS_Store").write_bytes(b"\0\1")
    (src / "labels" / "notes.txt").write_text("my notes")
    outside = tmp_path / "secret.shp"
    outside.write_bytes(b"not for students")
    (src / "labels" / "linked.shp").symlink_to(outside)
    pack = make_exercise_from_workspace(src, tmp_path / "pack")
    with zipfile.ZipFile(pack / REFERENCE_ZIP) as zf:
        names = zf.namelist()
    assert names and all(not n.startswith(".") and not n.startswith("linked") and
                         n.rsplit(".", 1)[1] in ("shp", "shx", "dbf", "prj", "cpg")
                         for n in names)
    key = extract_reference(pack, tmp_path / "key")
    assert sorted(p.name for p in key.iterdir()) == sorted(names)
