"""N-S boxes on the pixel grid, and undo/redo of label edits through the store."""
from dataclasses import replace

import pytest

from mirage_labeller.core.labels.box_geometry import (
    MOVE,
    Grid,
    box_from_corners,
    drag,
    handle_at,
    is_on_grid,
)
from mirage_labeller.core.labels.edit_history import EditHistory
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import LabelConflictError, LabelFileError, LabelStore

GRID = Grid.from_raster(599700.0, 5160000.0, 15.0, -15.0)  # a raster's upper-left corner


def test_box_from_any_two_corners_snaps_to_the_grid():
    b = box_from_corners(600007.0, 5150301.0, 599851.0, 5150049.0, GRID)
    assert b == (599850.0, 5150055.0, 600000.0, 5150295.0)
    assert is_on_grid(b, GRID) and not is_on_grid((599851.0, 5150055.0, 600000.0, 5150295.0), GRID)
    # a click without drag still makes a one-pixel box, never an empty one
    assert box_from_corners(600001.0, 5150001.0, 600002.0, 5150002.0, GRID) == \
        (600000.0, 5149995.0, 600015.0, 5150010.0)
    offset = Grid(7.5, 7.5, 15.0, 15.0)
    assert box_from_corners(1.0, 1.0, 40.0, 40.0, offset) == (7.5, 7.5, 37.5, 37.5)


def test_handles_and_dragging():
    b = (600000.0, 5149995.0, 600150.0, 5150295.0)
    assert is_on_grid(b, GRID)
    assert handle_at(b, 600000.5, 5150295.5, 3.0) == "nw"
    assert handle_at(b, 600150.0, 5150100.0, 3.0) == "e"
    assert handle_at(b, 600075.0, 5149995.0, 3.0) == "s"
    assert handle_at(b, 600075.0, 5150150.0, 3.0) == MOVE
    assert handle_at(b, 600300.0, 5150150.0, 3.0) is None
    assert drag(b, MOVE, 22.0, -8.0, GRID) == (600015.0, 5149980.0, 600165.0, 5150280.0)
    assert drag(b, "e", 31.0, 99.0, GRID) == (600000.0, 5149995.0, 600180.0, 5150295.0)
    assert drag(b, "sw", -14.0, 16.0, GRID) == (599985.0, 5150010.0, 600150.0, 5150295.0)
    # dragging the west edge past the east one flips the box instead of inverting it
    assert drag(b, "w", 200.0, 0.0, GRID) == (600150.0, 5149995.0, 600195.0, 5150295.0)


def lab(i, **kw):
    base = dict(xmin=600000.0 + 300 * i, ymin=5150000.0, xmax=600150.0 + 300 * i,
                ymax=5150300.0, cls="RG", sign_qual=1, class_unc=1, ifg="20190805_20190817",
                bt=12, traj="A")
    base.update(kw)
    return Label(**base)


def on_disk(store, stem):
    return {x.id: (x.cls, x.bounds) for x in store.read(stem).labels}


def test_undo_redo_of_every_kind_of_edit_is_saved(tmp_path):
    store = LabelStore(tmp_path)
    seen = []
    history = EditHistory(store, on_change=seen.append)
    a = history.add("ifg1", lab(0))
    b = history.add("ifg1", lab(1))
    moved = history.modify("ifg1", Label(*drag(b.bounds, MOVE, 30, 0, GRID), **{
        k: getattr(b, k) for k in ("cls", "sign_qual", "class_unc", "ifg", "bt", "traj",
                                   "id")})).after
    history.modify("ifg1", lab(0, cls="TA").with_id(a.id))
    history.delete("ifg1", b.id)
    history.add("ifg2", lab(0, cls="DG"))
    assert history.undo_text() == "add DG 1"
    assert on_disk(store, "ifg1") == {1: ("TA", a.bounds)}

    assert history.undo().stem == "ifg2" and on_disk(store, "ifg2") == {}
    history.undo()  # the delete: label 2 comes back under its own Id, where it was moved
    assert on_disk(store, "ifg1") == {1: ("TA", a.bounds), 2: ("RG", moved.bounds)}
    assert history.undo_text() == "reclassify 1 RG -> TA"
    history.undo()
    history.undo()  # the move
    assert on_disk(store, "ifg1") == {1: ("RG", a.bounds), 2: ("RG", b.bounds)}
    history.undo()
    history.undo()
    assert on_disk(store, "ifg1") == {} and not history.can_undo
    for _ in range(6):
        history.redo()
    assert on_disk(store, "ifg1") == {1: ("TA", a.bounds)}
    assert on_disk(store, "ifg2") == {1: ("DG", lab(0).bounds)}
    assert not history.can_redo and len(seen) == 6 + 6 + 6
    # a new edit after undo clears the redo stack
    history.undo()
    history.add("ifg3", lab(0))
    assert not history.can_redo


def test_failed_undo_keeps_the_history(tmp_path):
    store = LabelStore(tmp_path)
    history = EditHistory(store)
    added = history.add("ifg1", lab(0))
    store.replace_label("ifg1", replace(added, cls="DS"))  # someone else changed it meanwhile
    second = history.add("ifg1", lab(1))
    with pytest.raises(LabelFileError):  # a transient failure: the step stays for a retry
        _fail_once(store, history.undo)
    assert history.undo_text() == "add RG 2"
    history.undo()
    assert {x.id for x in store.read("ifg1").labels} == {1}
    with pytest.raises(LabelConflictError, match="changed by another session"):
        history.undo()  # undoing the add would delete their work: that step is dropped
    assert not history.can_undo
    assert {x.id: x.cls for x in store.read("ifg1").labels} == {1: "DS"}
    assert second.id == 2


def _fail_once(store, action):
    """Run ``action`` with the store's next save failing as a full disk would."""
    from mirage_labeller.core.labels import store as label_store

    real = label_store._write_shapefile

    def full(*args, **kwargs):
        raise LabelFileError("disk full")

    label_store._write_shapefile = full
    try:
        action()
    finally:
        label_store._write_shapefile = real
