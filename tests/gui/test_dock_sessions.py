"""The dock when other people and programs share the label folder (issue 18, items 2, 4, 5):
another session's change is kept or the conflict is said, who else has the interferogram
open is shown, a damaged label file is offered a repair and never saved short, a write that
fails inside GDAL is one message-bar line."""
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from qgis.core import Qgis

from mirage_labeller.core.labels.store import BACKUP_DIR, LabelStore
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace

HERE = Path(__file__).resolve().parents[1] / "helpers"




@pytest.fixture
def workspace(tmp_path):
    out = tmp_path / "ws"
    build_workspace(SynthConfig(str(out), seed=7, size=400, n_interferograms=2))
    return out


def other_session(repo_root, *args):
    """One label-store action in another process, as a colleague's QGIS would do it."""
    done = subprocess.run([sys.executable, str(HERE / "store_action.py"), str(repo_root),
                           *map(str, args)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def opened(plugin, workspace):
    dock = plugin.dock
    assert dock.open_workspace(str(workspace))
    dock.wait()
    return dock, dock.session


def confirm_box(session, dx=0.0):
    x0, y0, x1, y1 = session.extent
    cx, cy = (x0 + x1) / 2 + dx, (y0 + y1) / 2
    session.set_candidate((cx, cy, cx + 300.0, cy + 300.0))
    session.set_class("RG")
    saved = session.confirm()
    assert saved is not None
    return saved


def test_another_sessions_change_is_kept_and_a_conflict_said(plugin, workspace, repo_root,
                                                             qgis_iface):
    dock, s = opened(plugin, workspace)
    stem, folder = s.current.label_stem, s.workspace.label_dir
    label = confirm_box(s)
    bar = qgis_iface.messageBar()
    # a colleague reclassifies it; this dock still shows RG and moves the box
    other_session(repo_root, folder, "reclassify", stem, label.id, "DS")
    s.move_label(label.id, (label.xmin + 30, label.ymin, label.xmax + 30, label.ymax))
    now = LabelStore(folder).read(stem).by_id()[label.id]
    assert (now.cls, now.xmin) == ("DS", label.xmin + 30)  # both people's work
    assert any("keeping what another session changed" in m and "Class DS" in m
               for m in bar.get_messages(Qgis.MessageLevel.Warning))
    assert [x.cls for x in s.labels() if x.id == label.id] == ["DS"]  # the map shows it
    # the colleague changes the class again; this dock reclassifies from its copy: a conflict
    other_session(repo_root, folder, "reclassify", stem, label.id, "DG")
    s.select_label(label.id)
    s.set_class("RS")
    assert LabelStore(folder).read(stem).by_id()[label.id].cls == "DG"  # theirs stays
    assert any("changed by another session" in m and "not saved" in m
               for m in bar.get_messages(Qgis.MessageLevel.Warning))
    assert [x.cls for x in s.labels() if x.id == label.id] == ["DG"]


def test_ids_are_not_reused_by_another_session_and_undo_works(plugin, workspace, repo_root):
    dock, s = opened(plugin, workspace)
    stem, folder = s.current.label_stem, s.workspace.label_dir
    first = confirm_box(s)
    second = confirm_box(s, dx=600.0)
    s.select_label(second.id)
    s.delete()  # the highest Id
    added = other_session(repo_root, folder, "add", stem, 1).split()
    assert added == [str(second.id + 1)]
    s.undo()  # the delete comes back under its own Id
    ids = sorted(x.id for x in LabelStore(folder).read(stem).labels)
    assert ids[-3:] == [first.id, second.id, second.id + 1] and len(set(ids)) == len(ids)


def test_who_else_has_it_open_shows_in_the_progress_line(plugin, workspace, repo_root):
    dock, s = opened(plugin, workspace)
    helper = subprocess.Popen([sys.executable, str(HERE / "store_action.py"), str(repo_root),
                               str(workspace / "labels"), "present", str(workspace),
                               s.current.label_stem, "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert helper.stdout.readline().strip() == "present"
        s._announce()  # the presence timer's tick
        assert "also open by" in dock.progressLabel.text()
    finally:
        helper.kill()
        helper.wait()
    s._announce()
    assert "also open by" not in dock.progressLabel.text()  # its process is gone


def test_a_damaged_label_file_is_shown_as_such_and_repaired_on_request(plugin, workspace):
    store = LabelStore(workspace / "labels")
    stem = sorted(store.stems())[0]
    n = len(store.read(stem).labels)
    assert n >= 2
    dbf = store.path(stem).with_suffix(".dbf")
    data = dbf.read_bytes()
    header_len, record_len = struct.unpack("<HH", data[8:12])
    dbf.write_bytes(data[:header_len + (n - 1) * record_len + 5])  # an interrupted copy
    damaged = {p.name: p.read_bytes() for p in (workspace / "labels").iterdir() if p.is_file()}
    dock, s = opened(plugin, workspace)
    dock.show_stem(stem)
    dock.wait()
    assert s.current.label_stem == stem and s.labels() == []
    widget = dock.salvage_widget
    assert "truncated" in widget.text()
    # Confirm cannot save into it: nothing is written, so nothing is lost
    x0, y0, x1, y1 = s.extent
    s.set_candidate(((x0 + x1) / 2, (y0 + y1) / 2, (x0 + x1) / 2 + 300, (y0 + y1) / 2 + 300))
    s.set_class("RG")
    assert s.confirm() is None
    assert {p.name: p.read_bytes() for p in (workspace / "labels").iterdir()
            if p.is_file()} == damaged
    # the repair the user asks for: a backup first, then the readable labels
    from qgis.PyQt.QtWidgets import QPushButton

    widget.findChild(QPushButton, "salvageButton").click()
    backups = list((workspace / "labels" / BACKUP_DIR).iterdir())
    assert len(backups) == 1 and {p.name for p in backups[0].iterdir()} >= {
        f"{stem}.shp", f"{stem}.dbf", f"{stem}.shx"}
    assert len(s.labels()) == n - 1


def test_a_write_that_fails_inside_gdal_is_one_message(plugin, workspace, qgis_iface,
                                                     monkeypatch):
    dock, s = opened(plugin, workspace)
    label_store = sys.modules[type(s.store).__module__]  # the plugin's own copy, as QGIS loads it

    def full_disk(*args, **kwargs):
        raise RuntimeError("GDAL Error: Failed to write shape object. The file is too large "
                           "or the disk is full")

    monkeypatch.setattr(label_store, "_write_shapefile", full_disk)
    before = len(LabelStore(s.workspace.label_dir).read(s.current.label_stem).labels)
    x0, y0, x1, y1 = s.extent
    s.set_candidate(((x0 + x1) / 2, (y0 + y1) / 2, (x0 + x1) / 2 + 300, (y0 + y1) / 2 + 300))
    s.set_class("RG")
    assert s.confirm() is None  # no exception into QGIS
    assert s.candidate is not None  # the box waits for another try
    errors = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Critical)
    assert any("cannot save" in m and "disk is full" in m for m in errors)
    assert len(LabelStore(s.workspace.label_dir).read(s.current.label_stem).labels) == before


def test_an_unparseable_prj_shows_the_labels_and_confirm_saves(plugin, workspace, qgis_iface):
    store = LabelStore(workspace / "labels")
    stem = sorted(store.stems())[0]
    n = len(store.read(stem).labels)
    store.path(stem).with_suffix(".prj").write_text("this is not a CRS")
    dock, s = opened(plugin, workspace)
    dock.show_stem(stem)
    dock.wait()
    assert len(s.labels()) == n  # read, with the assumption said
    assert any(".prj cannot be interpreted" in m
               for m in qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning))
    saved = confirm_box(s)
    assert saved.id == n + 1 and len(store.read(stem).labels) == n + 1
    backups = list((workspace / "labels" / BACKUP_DIR).iterdir())  # the original kept
    assert len(backups) == 1 and (backups[0] / f"{stem}.prj").read_text() == "this is not a CRS"
