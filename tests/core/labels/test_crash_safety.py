"""kill -9 a process while it saves labels: the files on disk always read back complete,
as the last returned save or the one in progress, never a mix, never less."""
import random
import subprocess
import sys
import time
from pathlib import Path

import fiona
import pytest

from mirage_labeller.core.labels.store import LabelStore

HERE = Path(__file__).resolve().parents[2] / "helpers"
sys.path.insert(0, str(HERE))
from crash_writer import STEM, labels_for  # noqa: E402


def start_writer(repo, folder, first, count, kill_at=0):
    args = [sys.executable, str(HERE / "crash_writer.py"), str(repo), str(folder), str(first),
            str(count)]
    if kill_at:
        args.append(str(kill_at))
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def acknowledged(lines):
    return [int(x) for x in lines if x.strip().isdigit()]


def check_state(folder, last_acked, in_progress):
    """The store reads back exactly one complete save: the acknowledged one or the next."""
    labels = LabelStore(folder).read(STEM).labels
    snapshot = [(x.id, x.cls, x.sign_qual, x.class_unc, x.bounds) for x in labels]
    expect = {n: [(x.id, x.cls, x.sign_qual, x.class_unc, x.bounds) for x in labels_for(n)]
              for n in (last_acked, in_progress)}
    matches = [n for n, rows in expect.items() if rows == snapshot]
    assert matches, f"labels on disk match neither save {last_acked} nor {in_progress}"
    # after recovery a plain GDAL reader sees the same complete file set, and nothing is staged
    with fiona.open(str(folder / f"{STEM}.shp")) as src:
        assert len(src) == len(labels)
    assert not (folder / ".mirage-staging" / STEM).exists()
    return matches[0]


@pytest.mark.slow
def test_sigkill_at_random_instants(tmp_path, repo_root):
    rng = random.Random(20261128)
    folder = tmp_path / "labels"
    writer = start_writer(repo_root, folder, 1, 1)
    assert acknowledged(writer.communicate(timeout=60)[0].splitlines()) == [1]
    last = 1
    for _ in range(30):
        writer = start_writer(repo_root, folder, last + 1, 10_000)
        assert writer.stdout.readline().strip() == "ready"
        first = writer.stdout.readline().strip()  # one save done: imports and caches are warm
        assert first == str(last + 1)
        time.sleep(rng.uniform(0.0, 0.05))  # a save takes ~10 ms: kills land inside saves
        writer.kill()
        out, _ = writer.communicate(timeout=30)
        acked = [last + 1] + acknowledged(out.splitlines())
        last_acked = acked[-1]
        last = check_state(folder, last_acked, last_acked + 1)


@pytest.mark.slow
def test_sigkill_before_every_file_system_step_of_a_save(tmp_path, repo_root):
    folder = tmp_path / "labels"
    writer = start_writer(repo_root, folder, 1, 1)
    out = writer.communicate(timeout=60)[0].splitlines()
    assert acknowledged(out) == [1]
    # how many file-system steps one save takes, counted by a survivor
    writer = start_writer(repo_root, folder, 2, 1, kill_at=10_000)
    out = writer.communicate(timeout=60)[0].splitlines()
    steps = int(out[-1].split()[1])
    assert steps >= 8, out
    last, seen = 2, set()
    for k in range(1, steps + 1):
        writer = start_writer(repo_root, folder, last + 1, 1, kill_at=k)
        out, _ = writer.communicate(timeout=60)
        assert writer.returncode == -9, f"step {k}: the writer was not killed"
        assert acknowledged(out.splitlines()) == []
        on_disk = check_state(folder, last, last + 1)
        seen.add("new" if on_disk == last + 1 else "old")
        last = on_disk
    # early steps leave the old set, steps after the commit point the new one
    assert seen == {"old", "new"}


@pytest.mark.slow
def test_two_sessions_saving_at_once_keep_every_label(tmp_path, repo_root):
    folder = tmp_path / "labels"
    writers = [subprocess.Popen([sys.executable, str(HERE / "concurrent_writer.py"),
                                 str(repo_root), str(folder), str(1000 * i), "25"],
                                stdout=subprocess.PIPE, text=True) for i in range(2)]
    for w in writers:
        assert w.communicate(timeout=120)[0].strip() == "done"
    labels = LabelStore(folder).read("shared").labels
    assert len(labels) == 50 and len({x.id for x in labels}) == 50
    assert {x.xmin for x in labels} == {600000.0 + 30 * (1000 * i + k) for i in range(2)
                                        for k in range(25)}
