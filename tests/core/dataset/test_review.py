"""The review: a queue by filter, a log of decisions beside the labels (the label files stay
byte-identical), and fixes applied only on request, with backups."""
import shutil

import pytest

from mirage_labeller.core.dataset.audit import audit_label_dir, checksums
from mirage_labeller.core.dataset.review import (
    ACCEPT,
    CHANGE,
    REJECT,
    Decision,
    ReviewLog,
    apply_decisions,
    read_labels,
    review_log_path,
    review_queue,
)
from mirage_labeller.core.labels.store import LabelStore


@pytest.fixture
def labels(alps_workspace, tmp_path):
    out, _ = alps_workspace
    folder = tmp_path / "labels"
    shutil.copytree(out / "labels", folder, ignore=shutil.ignore_patterns(".mirage*"))
    return folder


def test_queue_filters(labels):
    rows, problems = read_labels(labels)
    assert problems == [] and len(rows) > 10
    assert review_queue(rows) == sorted(rows, key=lambda r: (r[0], r[1].id))
    q2 = review_queue(rows, "Sign_Qual 2")
    assert q2 and all(lab.sign_qual == 2 for _, lab in q2)
    assert len(q2) == sum(lab.sign_qual == 2 for _, lab in rows)
    rg = review_queue(rows, "class RG")
    assert rg and all(lab.cls == "RG" for _, lab in rg)
    report = audit_label_dir(labels)
    flagged = {(f.file[:-4], f.label_id) for f in report.findings if f.label_id is not None}
    assert [(s, lab.id) for s, lab in review_queue(rows, "with findings", report.findings)] == \
        sorted(k for k in flagged if k in {(s, lab.id) for s, lab in rows})
    first = rows[0]
    left = review_queue(rows, "not reviewed", reviewed=[(first[0], first[1].id)])
    assert len(left) == len(rows) - 1 and first not in left
    with pytest.raises(ValueError, match="unknown review filter"):
        review_queue(rows, "pretty ones")


def test_log_keeps_every_decision_and_labels_stay_identical(labels):
    before = checksums(labels)
    log = ReviewLog(review_log_path(labels))
    assert log.path.parent == labels.parent  # beside the folder, not in it
    rows, _ = read_labels(labels)
    (s1, a), (s2, b) = rows[0], rows[1]
    log.record(Decision(s1, a.id, ACCEPT, reviewer="ana"))
    log.record(Decision(s2, b.id, CHANGE, cls="PR", comment="lobate front", reviewer="ana"))
    log.record(Decision(s1, a.id, REJECT, comment="atmosphere", reviewer="ben"))
    decisions, problems = log.read()
    assert [d.decision for d in decisions] == [ACCEPT, CHANGE, REJECT] and problems == []
    assert all(d.time.endswith("+00:00") for d in decisions)
    latest = log.latest()
    assert latest[(s1, a.id)].decision == REJECT and latest[(s1, a.id)].reviewer == "ben"
    assert latest[(s2, b.id)].cls == "PR"
    with pytest.raises(ValueError, match="reviewer"):
        log.record(Decision(s1, a.id, ACCEPT))
    with pytest.raises(ValueError, match="not a MIRAGE class"):
        log.record(Decision(s1, a.id, CHANGE, cls="ZZ", reviewer="ana"))
    with pytest.raises(ValueError, match="one of"):
        log.record(Decision(s1, a.id, "maybe", reviewer="ana"))
    assert checksums(labels) == before  # reviewing wrote nothing to the label files
    with open(log.path, "a", encoding="utf-8") as fh:
        fh.write("garbage,line\n")
    assert len(log.read()[0]) == 3 and len(log.read()[1]) == 1


def test_apply_is_explicit_backed_up_and_exact(labels):
    rows, _ = read_labels(labels)
    stem = rows[0][0]
    mine = [lab for s, lab in rows if s == stem]
    assert len(mine) >= 3
    other_files = {k: v for k, v in checksums(labels).items() if not k.startswith(stem)}
    original = {k: v for k, v in checksums(labels).items() if k.startswith(stem)}
    log = ReviewLog(review_log_path(labels))
    log.record(Decision(stem, mine[0].id, REJECT, reviewer="ana"))
    log.record(Decision(stem, mine[1].id, CHANGE, cls="TA", sign_qual="2", reviewer="ana"))
    log.record(Decision(stem, mine[2].id, ACCEPT, reviewer="ana"))
    log.record(Decision(stem, 999, REJECT, reviewer="ana"))  # not in the file
    result = apply_decisions(labels, log)
    assert result.changed_files == [f"{stem}.shp"]
    assert (result.removed, result.modified) == (1, 1)
    assert len(result.problems) == 1 and "label 999" in result.problems[0]
    after = {lab.id: lab for lab in LabelStore(labels).read(stem).labels}
    assert mine[0].id not in after
    assert (after[mine[1].id].cls, after[mine[1].id].sign_qual) == ("TA", 2)
    assert after[mine[2].id] == mine[2]
    assert len(after) == len(mine) - 1
    backup = result.backups[0]
    assert {k: v for k, v in checksums(backup).items()} == original  # the file as it was
    after_files = {k: v for k, v in checksums(labels).items() if not k.startswith(stem)}
    new_entries = set(after_files) - set(other_files)
    assert all(k.startswith((".mirage-backup", ".mirage-staging")) for k in new_entries)
    assert {k: after_files[k] for k in other_files} == other_files  # the rest untouched


def test_a_label_changed_since_review_is_not_touched(labels):
    from dataclasses import replace

    from mirage_labeller.core.dataset.review import snapshot

    rows, _ = read_labels(labels)
    stem, lab = rows[0]
    log = ReviewLog(review_log_path(labels))
    log.record(Decision(stem, lab.id, REJECT, reviewer="ana", seen=snapshot(lab)))
    store = LabelStore(labels)
    current = store.read(stem).labels
    store.write(stem, [replace(x, cls="PR") if x.id == lab.id else x for x in current])
    result = apply_decisions(labels, log)
    assert result.removed == 0 and "changed since it was reviewed" in result.problems[0]
    assert lab.id in {x.id for x in store.read(stem).labels}


def test_log_survives_a_missing_newline_and_rejects_bad_values(labels):
    rows, _ = read_labels(labels)
    (s1, a), (s2, b) = rows[0], rows[1]
    log = ReviewLog(review_log_path(labels))
    log.record(Decision(s1, a.id, ACCEPT, reviewer="ana"))
    log.path.write_bytes(log.path.read_bytes().rstrip(b"\r\n"))  # an editor's doing
    log.record(Decision(s2, b.id, REJECT, reviewer="ben"))
    decisions, problems = log.read()
    assert [(d.reviewer, d.decision) for d in decisions] == [("ana", ACCEPT), ("ben", REJECT)]
    assert problems == []
    with open(log.path, "a", encoding="utf-8", newline="") as fh:
        fh.write(f"{s1},{a.id},change,,Q2,,,ana,2026-01-01T00:00:00+00:00,\r\n")
    decisions, problems = log.read()
    assert len(decisions) == 2 and len(problems) == 1 and "sign_qual" in problems[0]
    result = apply_decisions(labels, log)  # the bad row is ignored, not a traceback
    assert result.removed == 1
