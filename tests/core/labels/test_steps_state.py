"""The five-step flow (strict and free), the saved session state, quick coherence figures."""
import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from mirage_labeller.core.interferograms.coherence import quick_coherence_stats
from mirage_labeller.core.interferograms.state import (
    DISCARD,
    KEEP,
    WorkspaceState,
    read_sidecar,
    write_sidecar,
)
from mirage_labeller.core.labels.steps import (
    CLASSIFY,
    IDENTIFY,
    MORPHOLOGY,
    RECURRENCE,
    SELECT,
    STEPS,
    Flow,
)


def test_five_steps_with_guidance():
    assert [s.key for s in STEPS] == ["select", "identify", "morphology", "recurrence", "classify"]
    assert [s.optional for s in STEPS] == [False, False, False, True, False]
    assert all(len(s.guidance) > 40 for s in STEPS)


def test_strict_flow_walks_in_order():
    flow = Flow(strict=True)
    assert "keep this interferogram" in flow.go(IDENTIFY)
    flow.set_kept(True)
    assert flow.current == IDENTIFY
    assert "draw a candidate" in flow.go(MORPHOLOGY)
    flow.candidate_drawn()
    assert flow.current == MORPHOLOGY
    assert "check the morphology" in flow.go(CLASSIFY)
    flow.tick(MORPHOLOGY)
    assert flow.current == RECURRENCE  # strict mode offers the optional check next
    assert flow.go(CLASSIFY) is None  # recurrence is optional
    assert flow.go(RECURRENCE) is None
    flow.label_confirmed()
    assert flow.current == IDENTIFY and not flow.has_candidate and not flow.checked
    flow.set_kept(False)
    assert flow.current == SELECT and flow.why_not(IDENTIFY)


def test_free_flow_allows_anything_and_keeps_on_confirm():
    flow = Flow(strict=False)
    assert all(flow.why_not(s.number) is None for s in STEPS)
    flow.candidate_drawn()
    assert flow.current == CLASSIFY
    flow.tick(MORPHOLOGY)
    assert flow.current == CLASSIFY
    flow.label_confirmed()
    assert flow.kept is True
    flow.new_interferogram(None)
    assert flow.current == SELECT and flow.kept is None


def test_state_round_trip_merge_and_tolerance(tmp_path):
    state = WorkspaceState(root=str(tmp_path), current="ifg2")
    state.decide("ifg1", KEEP)
    state.decide("ifg2", DISCARD, "atmosphere", "strong turbulence")
    state.settings.strict = True
    state.settings.views = ["phase", "hillshade"]
    with pytest.raises(ValueError):
        state.decide("ifg3", DISCARD)  # a discard needs its reason
    back, warnings = WorkspaceState.from_json(state.to_json())
    assert warnings == [] and back.to_json() == state.to_json()
    assert back.decision("ifg2") == DISCARD and back.triage["ifg2"].reason == "atmosphere"

    newer = WorkspaceState()
    newer.decide("ifg1", DISCARD, "decorrelation")
    older = WorkspaceState(triage={"ifg2": state.triage["ifg2"].__class__(KEEP, when="2000-01-01")})
    back.merge(newer)
    back.merge(older)
    assert back.decision("ifg1") == DISCARD and back.decision("ifg2") == DISCARD

    broken, warnings = WorkspaceState.from_json(
        '{"triage": {"a": {"decision": "maybe"}},'
        ' "settings": {"strict": "yes", "views": ["phase"]}}')
    assert broken.decision("a") is None and broken.settings.strict is False
    assert broken.settings.views == ["phase"] and len(warnings) == 2
    assert WorkspaceState.from_json("{not json")[1]

    assert write_sidecar(tmp_path, state) is None
    again, warnings = read_sidecar(tmp_path)
    assert again.to_json() == state.to_json() and warnings == []


def test_sidecar_on_a_read_only_folder_is_a_message(tmp_path):
    target = tmp_path / "ro"
    target.mkdir()
    (target / ".mirage").write_text("a file where the folder should be")
    message = write_sidecar(target, WorkspaceState())
    assert message and "cannot save the workspace state" in message


def test_quick_coherence_stats(tmp_path):
    coh = np.full((200, 300), 0.6, "float32")
    coh[:50] = 0.1  # a quarter below 0.2
    coh[-20:] = np.nan
    path = tmp_path / "c.tif"
    with rasterio.open(path, "w", driver="GTiff", width=300, height=200, count=1,
                       dtype="float32", crs="EPSG:32632", nodata=float("nan"),
                       transform=from_origin(0, 0, 15, 15)) as dst:
        dst.write(coh, 1)
    stats = quick_coherence_stats(str(path))
    assert stats.frac_below == pytest.approx(50 / 180)
    assert stats.mean == pytest.approx((50 * 0.1 + 130 * 0.6) / 180, rel=1e-5)
    assert stats.valid_frac == pytest.approx(0.9)
    raw = np.round(np.nan_to_num(coh) * 255).astype("uint8")  # LiCSAR: 0 = nodata
    path8 = tmp_path / "c8.tif"
    with rasterio.open(path8, "w", driver="GTiff", width=300, height=200, count=1,
                       dtype="uint8", crs="EPSG:32632", transform=from_origin(0, 0, 15, 15)) as dst:
        dst.write(raw, 1)
    stats8 = quick_coherence_stats(str(path8))
    assert stats8.mean == pytest.approx(stats.mean, abs=0.003)
    assert stats8.frac_below == pytest.approx(stats.frac_below)
