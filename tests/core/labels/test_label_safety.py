"""What users hand the label store must never destroy labels or reach outside the label folder:
crafted staging journals, damaged file sets, two people on one folder (issue 18, items 1-4)."""
import json
import shutil
import struct
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from mirage_labeller.core.labels import atomic_fileset, presence
from mirage_labeller.core.labels.edit_history import EditHistory
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import (
    BACKUP_DIR,
    LabelConflictError,
    LabelFileError,
    LabelStore,
    read_label_file,
)

HERE = Path(__file__).resolve().parents[2] / "helpers"
STEM = "20190805_20190817"


def lab(k, **kw):
    values = dict(cls="RG", sign_qual=1, class_unc=1, ifg="20190805_20190817", bt=12, traj="A")
    values.update(kw)
    return Label(600000.0 + 300 * k, 5100000.0, 600150.0 + 300 * k, 5100300.0, **values)


def tree(folder: Path):
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def run(repo_root, *args, **kw):
    return subprocess.Popen([sys.executable, str(HERE / "store_action.py"), str(repo_root),
                             *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kw)


# ---------------------------------------------------------------- 1. crafted journals

@pytest.fixture
def victim(tmp_path):
    """A folder outside the label folder with what an attacker would like to move or delete."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("PRIVATE KEY")
    (home / "thesis.txt").write_text("three years of work")
    return home


CRAFTED = [
    ("stage outside", lambda stem, home: {"stage": "../../../home/.ssh", "files": ["id_rsa"],
                                          "stale": []}),
    ("stale outside", lambda stem, home: {"stage": "new-0123456789ab", "files": [],
                                          "stale": ["../../home/thesis.txt"]}),
    ("absolute stale", lambda stem, home: {"stage": "new-0123456789ab", "files": [],
                                           "stale": [str(home / "thesis.txt")]}),
    ("file with a path", lambda stem, home: {"stage": "new-0123456789ab",
                                             "files": [f"../{stem}.shp"], "stale": []}),
    ("another stem's file", lambda stem, home: {"stage": "new-0123456789ab",
                                                "files": ["other.shp"], "stale": []}),
    ("not a journal", lambda stem, home: ["rm", "-rf"]),
]


@pytest.mark.parametrize("case", [c[0] for c in CRAFTED])
def test_a_crafted_journal_is_refused_and_nothing_outside_is_touched(tmp_path, victim, case):
    folder = tmp_path / "ws" / "labels"
    store = LabelStore(folder)
    store.write(STEM, [lab(0), lab(1)])
    journal = dict(CRAFTED)[case](STEM, victim)
    stem_dir = folder / atomic_fileset.STAGING / STEM
    stem_dir.mkdir(parents=True)
    (stem_dir / "new-0123456789ab").mkdir()
    (stem_dir / "journal.json").write_text(json.dumps(journal))
    outside, inside = tree(victim), tree(folder)
    with pytest.raises(LabelFileError, match="journal.json: .*not followed"):
        store.read(STEM)
    with pytest.raises(LabelFileError, match="not followed"):
        store.add(STEM, lab(2))
    assert tree(victim) == outside and tree(folder) == inside


def test_links_in_the_staging_folder_are_never_followed(tmp_path, victim):
    folder = tmp_path / "labels"
    store = LabelStore(folder)
    store.write(STEM, [lab(0)])
    outside = tree(victim)
    # the stage a journal names is a link to a folder outside
    stem_dir = folder / atomic_fileset.STAGING / STEM
    stem_dir.mkdir(parents=True)
    (stem_dir / "new-0123456789ab").symlink_to(victim / ".ssh")
    (stem_dir / "journal.json").write_text(json.dumps(
        {"stage": "new-0123456789ab", "files": [f"{STEM}.shp"], "stale": []}))
    with pytest.raises(LabelFileError, match="is a link"):
        store.read(STEM)
    shutil.rmtree(stem_dir)
    # the stem's folder itself is a link (an uncommitted save would be rolled back in it)
    (folder / atomic_fileset.STAGING / STEM).symlink_to(victim)
    with pytest.raises(LabelFileError, match="link"):
        store.read(STEM)
    (folder / atomic_fileset.STAGING / STEM).unlink()
    # the whole staging folder is a link: no lock file, no stage is made through it
    shutil.rmtree(folder / atomic_fileset.STAGING)
    (folder / atomic_fileset.STAGING).symlink_to(victim)
    with pytest.raises(LabelFileError, match="is a link"):
        store.add(STEM, lab(1))
    assert tree(victim) == outside
    assert [x.id for x in read_label_file(folder / f"{STEM}.shp").labels] == [1]


def test_a_crafted_journal_through_a_command_leaves_everything_outside(tmp_path, victim,
                                                                      repo_root):
    folder = tmp_path / "labels"
    LabelStore(folder).write(STEM, [lab(0)])
    stem_dir = folder / atomic_fileset.STAGING / STEM
    stem_dir.mkdir(parents=True)
    (stem_dir / "journal.json").write_text(json.dumps(
        {"stage": "../../../home/.ssh", "files": ["id_rsa"], "stale": ["../../home/thesis.txt"]}))
    outside = tree(victim)
    done = subprocess.run([sys.executable, "-m", "mirage_labeller", "processes", str(folder),
                           "--out", str(tmp_path / "p.gpkg")], cwd=repo_root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "journal.json" in done.stderr and "not followed" in done.stderr
    assert tree(victim) == outside and not (tmp_path / "p.gpkg").exists()


def test_stems_that_are_paths_are_refused(tmp_path):
    store = LabelStore(tmp_path / "labels")
    for stem in ("../escape", "a/b", ".hidden", "..", ""):
        with pytest.raises(LabelFileError, match="not a usable label file name"):
            store.add(stem, lab(0))
    assert not (tmp_path / "escape.shp").exists()


# ---------------------------------------------------------------- 2. damaged file sets

def _truncate_dbf(path: Path, keep: int) -> None:
    data = path.read_bytes()
    header_len, record_len = struct.unpack("<HH", data[8:12])
    path.write_bytes(data[:header_len + keep * record_len + 10])


@pytest.mark.parametrize("damage", ["truncated dbf", "foreign shx"])
def test_a_damaged_set_is_refused_and_never_saved_shorter(tmp_path, damage):
    folder = tmp_path / "labels"
    store = LabelStore(folder)
    store.write(STEM, [lab(k) for k in range(5)])
    if damage == "truncated dbf":
        _truncate_dbf(folder / f"{STEM}.dbf", 3)
        expected = "announces 5 records, the file holds 3"
    else:
        store.write("other", [lab(0), lab(1)])
        shutil.copyfile(folder / "other.shx", folder / f"{STEM}.shx")
        expected = "does not index"
    damaged = tree(folder)
    with pytest.raises(LabelFileError, match=expected) as err:
        store.read(STEM)
    assert f"{STEM}.shp" in str(err.value)
    for save in (lambda: store.add(STEM, lab(9)),
                 lambda: store.write(STEM, [lab(0)]),
                 lambda: EditHistory(store).add(STEM, lab(9))):
        with pytest.raises(LabelFileError, match=expected):
            save()
    assert tree(folder) == damaged  # nothing written, so nothing lost
    # the repair the user asks for: a backup of the damaged set first, then what can be read
    backup, kept, lost = store.salvage(STEM)
    assert backup.parent.name == BACKUP_DIR
    assert {p.name: p.read_bytes() for p in backup.iterdir()} == \
        {k: v for k, v in damaged.items() if k.startswith(STEM)}
    assert len(kept) == (3 if damage == "truncated dbf" else 5)
    assert bool(lost) == (damage == "truncated dbf")
    assert [x.bounds for x in store.read(STEM).labels] == [lab(k).bounds for k in range(len(kept))]


def test_infinite_and_nan_coordinates_are_refused_with_the_record(tmp_path):
    import fiona

    from mirage_labeller.core.labels.store import _schema_properties

    folder = tmp_path / "labels"
    folder.mkdir()
    schema = {"geometry": "Polygon", "properties": _schema_properties()}
    with fiona.open(str(folder / "x.shp"), "w", driver="ESRI Shapefile", crs="EPSG:32632",
                    schema=schema) as dst:
        for k, x1 in enumerate((600150.0, 7.77e300)):  # GDAL refuses to write inf
            ring = [(600000.0, 5100000.0), (600000.0, 5100300.0), (x1, 5100300.0),
                    (x1, 5100000.0), (600000.0, 5100000.0)]
            dst.write({"geometry": {"type": "Polygon", "coordinates": [ring]},
                       "properties": dict(lab(0).with_id(k + 1).record())})
    shp = folder / "x.shp"  # as another program would have written it
    shp.write_bytes(shp.read_bytes().replace(struct.pack("<d", 7.77e300),
                                             struct.pack("<d", float("inf"))))
    with pytest.raises(LabelFileError, match=r"x.shp: record 2: .*not finite"):
        read_label_file(folder / "x.shp")
    backup, kept, lost = LabelStore(folder).salvage("x")
    assert [x.id for x in kept] == [1] and "record 2" in lost[0]


# ---------------------------------------------------------------- 3. review while saving

@pytest.mark.slow
def test_a_label_saved_while_another_process_applies_review_decisions_stays(tmp_path,
                                                                            repo_root):
    folder = tmp_path / "labels"
    LabelStore(folder).write(STEM, [lab(k) for k in range(40)])  # Ids 1..40
    applier = run(repo_root, folder, "apply", STEM, 1, 40)
    adder = run(repo_root, folder, "add", STEM, 60)
    acked = [int(line) for line in adder.communicate(timeout=300)[0].split()]
    out, err = applier.communicate(timeout=300)
    assert applier.returncode == 0 and out.strip() == "applied", err
    assert len(acked) == 60
    on_disk = {x.id for x in LabelStore(folder).read(STEM).labels}
    assert set(acked) <= on_disk  # every acknowledged label is still there
    assert on_disk == set(acked)  # and every reviewed one is gone


# ---------------------------------------------------------------- 4. two sessions

def test_a_stale_copy_never_reverts_another_sessions_change(tmp_path, repo_root):
    folder = tmp_path / "labels"
    store = LabelStore(folder)
    history = EditHistory(store)
    for k in range(3):
        history.add(STEM, lab(k))
    shown = store.read(STEM).by_id()[2]  # what session A shows on its map
    other = run(repo_root, folder, "reclassify", STEM, 2, "DS")  # session B, another process
    assert other.wait(timeout=120) == 0, other.stderr.read()
    # A moves the box from its copy: B's class stays, A's box is saved
    moved = replace(shown, xmin=shown.xmin + 30, xmax=shown.xmax + 30)
    change = history.modify(STEM, moved, base=shown)
    now = store.read(STEM).by_id()[2]
    assert (now.cls, now.bounds) == ("DS", moved.bounds)
    assert change.merged == ["Class DS"]
    # A reclassifies from its old copy: the same attribute, so nothing is saved and A is told
    with pytest.raises(LabelConflictError, match=r"label 2 was changed by another session .*"
                                            r"Class RS here, Class DS"):
        history.modify(STEM, replace(shown, cls="RS"), base=shown)
    assert store.read(STEM).by_id()[2].cls == "DS"
    # undo of A's move keeps B's class
    history.undo()
    now = store.read(STEM).by_id()[2]
    assert (now.cls, now.bounds) == ("DS", shown.bounds)


def test_ids_are_never_reused_across_sessions_so_undo_works(tmp_path, repo_root):
    folder = tmp_path / "labels"
    store = LabelStore(folder)
    history = EditHistory(store)
    for k in range(5):
        history.add(STEM, lab(k))
    history.delete(STEM, 5, base=store.read(STEM).by_id()[5])  # A deletes the highest Id
    other = run(repo_root, folder, "add", STEM, 1)  # a new session (process) adds one
    assert other.communicate(timeout=120)[0].split() == ["6"]
    history.undo()  # A's undo brings label 5 back under its own Id
    assert sorted(x.id for x in store.read(STEM).labels) == [1, 2, 3, 4, 5, 6]
    # also a store that never saw the file before (a third session) continues above
    assert LabelStore(folder).add(STEM, lab(7)).id == 7


def test_who_else_has_the_interferogram_open(tmp_path, repo_root):
    import datetime as dt

    root = tmp_path / "ws"
    root.mkdir()
    other = run(repo_root, tmp_path, "present", root, STEM, 30)
    assert other.stdout.readline().strip() == "present"
    try:
        seen = presence.others(root, STEM, "me")
        assert [p.stem for p in seen] == [STEM] and seen[0].pid == other.pid
        assert presence.others(root, "another_stem", "me") == []
        later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=presence.STALE_AFTER_S + 1)
        assert presence.others(root, STEM, "me", now=later) == []  # not refreshed: stale
    finally:
        other.kill()
        other.wait()
    presence.announce(root, "other-session", STEM)
    data = json.loads((root / presence.PRESENCE_DIR / "other-session.json").read_text())
    data["pid"] = other.pid  # a process that is gone on this host
    (root / presence.PRESENCE_DIR / "other-session.json").write_text(json.dumps(data))
    assert presence.others(root, STEM, "me") == []


# ---------------------------------------------------------------- a review's findings

def test_a_journal_may_name_only_this_stems_parts_and_sidecars(tmp_path):
    folder = tmp_path / "labels"
    store = LabelStore(folder)
    store.write(STEM, [lab(0)])
    store.write(STEM + ".b", [lab(1)])  # another stem whose name starts like this one's
    inside = tree(folder)
    stem_dir = folder / atomic_fileset.STAGING / STEM
    for journal in ({"stage": "new-0123456789ab", "files": [], "stale": [f"{STEM}.shp",
                                                                         f"{STEM}.dbf"]},
                    {"stage": "new-0123456789ab", "files": [], "stale": [f"{STEM}.b.shp"]},
                    {"stage": "new-0123456789ab", "files": [f"{STEM}.b.dbf"], "stale": []},
                    "[" * 200_000):
        stem_dir.mkdir(parents=True, exist_ok=True)
        (stem_dir / "journal.json").write_text(journal if isinstance(journal, str)
                                               else json.dumps(journal))
        with pytest.raises(LabelFileError, match="not followed"):
            store.read(STEM)
        shutil.rmtree(stem_dir)
    assert tree(folder) == inside  # the label file was not deleted as a "stale sidecar"
    assert [x.id for x in store.read(STEM).labels] == [1]


def test_the_stores_own_files_are_never_written_through_links(tmp_path, victim):
    folder = tmp_path / "labels"
    store = LabelStore(folder)
    store.write(STEM, [lab(0)])
    outside = tree(victim)
    ids = folder / atomic_fileset.STAGING / ".ids"
    (ids / f"{STEM}.tmp").symlink_to(victim / "thesis.txt")  # a planted link
    store.add(STEM, lab(1))
    assert tree(victim) == outside and not (ids / f"{STEM}.tmp").exists()
    shutil.rmtree(ids)
    ids.symlink_to(victim)  # the whole folder
    with pytest.raises(LabelFileError, match="is a link"):
        store.add(STEM, lab(2))
    ids.unlink()
    (folder / BACKUP_DIR).symlink_to(victim)
    with pytest.raises(LabelFileError, match="is a link"):
        store.backup(STEM)
    (folder / BACKUP_DIR).unlink()
    lock = folder / atomic_fileset.STAGING / ".lock"
    lock.unlink()
    lock.symlink_to(victim / "planted-lock")  # dangling: opening it would create a file
    with pytest.raises(LabelFileError, match="is a link"):
        store.read(STEM)
    assert tree(victim) == outside


def test_a_high_water_mark_no_id_field_holds_is_not_trusted(tmp_path):
    folder = tmp_path / "labels"
    store = LabelStore(folder)
    store.write(STEM, [lab(0), lab(1)])
    (folder / atomic_fileset.STAGING / ".ids" / STEM).write_text("99999999999999999999\n")
    assert store.add(STEM, lab(2)).id == 3  # from the file's own Ids, no OverflowError


def test_records_without_an_id_are_numbered_above_every_id_the_file_had(tmp_path):
    import fiona

    folder = tmp_path / "labels"
    store = LabelStore(folder)
    store.write(STEM, [lab(0), lab(1), lab(2)])
    store.delete(STEM, 3)
    with fiona.open(str(store.path(STEM)), "a") as dst:  # another GIS appends, Id 0
        dst.write({"geometry": {"type": "Polygon", "coordinates": [lab(5).ring()]},
                   "properties": dict(lab(5).with_id(0).record())})
    assert sorted(x.id for x in store.read(STEM).labels) == [1, 2, 4]
    history = EditHistory(store)
    history.add(STEM, lab(3).with_id(3))  # what an undo of the delete writes
    assert sorted(x.id for x in store.read(STEM).labels) == [1, 2, 3, 4]


def test_salvage_refuses_a_file_that_reads_whole(tmp_path):
    folder = tmp_path / "labels"
    store = LabelStore(folder)
    store.write(STEM, [lab(0)])
    before = tree(folder)
    with pytest.raises(LabelFileError, match="reads whole; nothing to repair"):
        store.salvage(STEM)
    assert tree(folder) == before and not (folder / BACKUP_DIR).exists()


def test_redo_keeps_what_another_session_changed_after_the_undo(tmp_path):
    folder = tmp_path / "labels"
    store = LabelStore(folder)
    history = EditHistory(store)
    added = history.add(STEM, lab(0))
    history.modify(STEM, replace(added, cls="DS"), base=added)  # A reclassifies
    history.undo()
    now = store.read(STEM).by_id()[added.id]
    store.update(STEM, replace(now, xmax=now.xmax + 150), base=now)  # B widens the box
    history.redo()
    again = store.read(STEM).by_id()[added.id]
    assert (again.cls, again.xmax) == ("DS", added.xmax + 150)


def test_exists_with_a_pending_save_in_a_read_only_folder_does_not_wait(tmp_path, repo_root):
    """The read-only view is read outside the lock's hold (flock does not nest)."""
    code = f"""
import os, sys
sys.path.insert(0, {str(repo_root)!r})
from mirage_labeller.core.labels import atomic_fileset
from mirage_labeller.core.labels.store import LabelStore
from mirage_labeller.core.labels.schema import Label
store = LabelStore({str(tmp_path / 'labels')!r})
store.write("s", [Label(0, 0, 30, 30, "RG", 1, 1, "20190805_20190817", 12, "A")])
atomic_fileset.new_stage(store.directory, "s")
real = os.access
os.access = lambda p, m, *a, **k: False if m == os.W_OK else real(p, m, *a, **k)
print(store.exists("s"))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stderr
