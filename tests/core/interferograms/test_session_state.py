"""The state a session opens a workspace with (project and sidecar merged: which wins), and
the dates and orbit a user supplies for an interferogram whose name says too little."""
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from mirage_labeller.core.base.errors import InputError
from mirage_labeller.core.interferograms.metadata import parse_interferogram_path
from mirage_labeller.core.interferograms.session_state import (
    merged_state,
    opening_state,
    parse_supplied_dates,
    supply_metadata,
)
from mirage_labeller.core.interferograms.state import (
    DISCARD,
    KEEP,
    Triage,
    WorkspaceState,
    write_sidecar,
)


def state_with(stem, decision, when, strict=False, current=None, reason=None):
    s = WorkspaceState()
    s.triage[stem] = Triage(decision, reason, "", when)
    s.settings.strict = strict
    s.current = current
    return s


def test_without_a_project_state_the_sidecar_gives_settings_and_decisions(tmp_path):
    sidecar = state_with("a", KEEP, "2024-01-01T10:00:00", strict=True, current="a")
    state = merged_state(None, sidecar, tmp_path)
    assert state.settings.strict and state.current == "a"
    assert state.decision("a") == KEEP and state.root == str(tmp_path)


def test_a_project_state_keeps_its_settings_and_the_newer_decision_wins(tmp_path):
    project = state_with("a", DISCARD, "2024-01-02T10:00:00", strict=False, current="b",
                         reason="atmosphere")
    project.root = str(tmp_path)
    project.triage["b"] = Triage(KEEP, None, "", "2024-01-01T09:00:00")
    sidecar = state_with("a", KEEP, "2024-01-01T10:00:00", strict=True, current="a")
    sidecar.triage["b"] = Triage(DISCARD, "other", "", "2024-01-03T09:00:00")
    sidecar.overrides["c"] = {"traj": "D"}
    state = merged_state(project, sidecar, tmp_path)
    assert state is project
    assert not state.settings.strict and state.current == "b"  # the project's settings
    assert state.decision("a") == DISCARD  # the project's is newer
    assert state.decision("b") == DISCARD  # the sidecar's is newer
    assert state.overrides["c"] == {"traj": "D"}  # added where the project had none


@dataclass
class _Item:
    label_stem: str
    meta: object


@dataclass
class _Workspace:
    root: Path
    interferograms: list


def test_opening_state_reads_the_sidecar_and_applies_supplied_metadata(tmp_path):
    saved = WorkspaceState()
    saved.overrides["x"] = {"master": "20190805", "slave": "20190817", "traj": "A"}
    assert write_sidecar(tmp_path, saved) is None
    item = _Item("x", parse_interferogram_path("/data/unnamed.tif"))
    assert item.meta.ifg is None
    state, warnings = opening_state(_Workspace(tmp_path, [item]))
    assert warnings == [] and state.root == str(tmp_path)
    assert (item.meta.ifg, item.meta.bt, item.meta.traj) == ("20190805_20190817", 12, "A")


def test_a_damaged_sidecar_is_one_warning_and_no_stop(tmp_path):
    (tmp_path / ".mirage").mkdir()
    (tmp_path / ".mirage" / "state.json").write_text("{not json")
    state, warnings = opening_state(_Workspace(tmp_path, []))
    assert len(warnings) == 1 and "state.json" in warnings[0]
    assert state.triage == {}


@pytest.mark.parametrize("text, expected", [
    ("20190805_20190817", ("2019-08-05", "2019-08-17")),
    ("  20190805-20190817 ", ("2019-08-05", "2019-08-17")),
    ("2019216_2019228", ("2019-08-05", "2019-08-17")),  # GMTSAR day of year from 0
])
def test_supplied_dates_are_read_like_names(text, expected):
    master, slave = parse_supplied_dates(text)
    assert (master.isoformat(), slave.isoformat()) == expected


@pytest.mark.parametrize("text", ["", "2019-08-05", "20190817_20190805", "20190231_20190317",
                                  "../20190805/x"])
def test_dates_that_are_not_two_dates_in_order_are_refused(text):
    with pytest.raises(InputError, match="is not two dates"):
        parse_supplied_dates(text)


def test_supplied_metadata_is_kept_and_applied():
    state = WorkspaceState()
    item = _Item("x", parse_interferogram_path("/data/unnamed.tif"))
    supply_metadata(state, item, dt.date(2019, 8, 5), dt.date(2019, 8, 17), "descending")
    assert state.overrides["x"] == {"master": "20190805", "slave": "20190817", "traj": "D"}
    assert item.meta.ifg == "20190805_20190817" and item.meta.traj == "D"
    assert not any(p.startswith(("dates:", "traj:")) for p in item.meta.problems)
    supply_metadata(state, item, traj="A")  # the orbit again: the dates stay
    assert state.overrides["x"]["master"] == "20190805" and item.meta.traj == "A"
    with pytest.raises(ValueError):
        supply_metadata(state, item, traj="sideways")
