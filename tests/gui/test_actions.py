"""The dock's action table: every action of the keymap has its handler, and ``run_action`` (the
one entry point of keys and buttons) refuses a name the table does not know."""
import pytest

from mirage_labeller.core.interferograms.state import KEEP
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace
from mirage_labeller.gui import keymap


@pytest.fixture
def workspace(tmp_path):
    out = tmp_path / "ws"
    build_workspace(SynthConfig(str(out), seed=5, size=300, n_interferograms=2))
    return out


def test_every_keymap_action_has_a_handler(plugin):
    names = {name for _, name, _ in keymap.ACTIONS}
    assert set(plugin.dock.handlers) == names  # keyed like the keymap, nothing else
    assert all(callable(handler) for handler in plugin.dock.handlers.values())


def test_nothing_runs_without_a_workspace(plugin):
    assert plugin.dock.session is None
    assert plugin.dock.run_action("keep") is False


def test_an_unknown_action_is_refused(plugin, workspace):
    dock = plugin.dock
    assert dock.open_workspace(str(workspace))
    dock.wait()
    s = dock.session
    x0, y0, x1, y1 = s.extent
    s.set_candidate((x0 + 300, y0 + 300, x0 + 600, y0 + 600))
    before = (dict(s.state.triage), s.candidate, s.attributes(), len(s.labels()))
    for name in ("launch", "class:XX", "quality:3", "uncertainty:0", "class", "", "KEEP",
                 "keep:now", "next_ifg "):
        assert dock.run_action(name) is False, name
    assert (dict(s.state.triage), s.candidate, s.attributes(), len(s.labels())) == before
    # the known ones go through the same entry point
    assert dock.run_action("class:RG") and s.attributes()[0] == "RG"
    assert dock.run_action("keep") and s.state.decision(s.current.label_stem) == KEEP
    assert dock.run_action("cancel") and s.candidate is None
