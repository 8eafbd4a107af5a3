"""The files beside the data that the dock reads when a workspace opens (the session's
``.mirage/state.json``, ``basemaps/*``, a save left pending in ``labels/``): a damaged one never
stops the workspace from opening, and a basemap contacts no server before the user picks it."""
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from qgis.core import (
    Qgis,
    QgsDataSourceUri,
    QgsNetworkAccessManager,
    QgsNetworkRequestParameters,
    QgsProject,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest

from mirage_labeller.core.interferograms.state import KEEP
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace

ROOT = Path(__file__).resolve().parents[2]




@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("side") / "ws"
    build_workspace(SynthConfig(str(out), seed=5, size=300, n_interferograms=2))
    return out


@pytest.fixture
def workspace(built, tmp_path):
    """A fresh copy of a small synthetic workspace for each test."""
    out = tmp_path / "ws"
    shutil.copytree(built, out)
    return out


def warnings_of(iface):
    return iface.messageBar().get_messages(Qgis.MessageLevel.Warning)


def open_through_dock(plugin, iface, folder):
    iface.messageBar().clear_messages()
    dock = plugin.dock
    assert dock.open_workspace(str(folder))
    dock.wait()
    assert dock.session is not None and dock.current_interferogram() is not None
    return dock


# ------------------------------------------------------------------ state.json
DAMAGED_STATES = {
    "not-UTF-8": b'{"current": "caf\xe9"}',
    "not-JSON": b'{"triage": {',
    "a-list": b'["keep", "discard"]',
    "triage-a-list": b'{"triage": ["a", "b"]}',
    "triage-entry-of-wrong-types": json.dumps(
        {"triage": {"x": {"decision": KEEP, "when": 5, "note": ["n"]}}}).encode(),
    "settings-a-list": b'{"settings": ["strict"]}',
    "views-not-names": b'{"settings": {"views": [1, 2]}}',
    "dates-not-dates": b'{"overrides": {"x": {"master": "soon", "traj": "Z"}}}',
}


@pytest.mark.parametrize("kind", sorted(DAMAGED_STATES))
def test_a_damaged_state_file_is_set_aside_and_the_workspace_opens(plugin, qgis_iface,
                                                                     workspace, kind):
    state = workspace / ".mirage" / "state.json"
    state.parent.mkdir(exist_ok=True)
    state.write_bytes(DAMAGED_STATES[kind])
    dock = open_through_dock(plugin, qgis_iface, workspace)
    about = [m for m in warnings_of(qgis_iface) if "state.json" in m]
    assert len(about) == 1, warnings_of(qgis_iface)
    aside = list(state.parent.glob("state.json.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == DAMAGED_STATES[kind]
    assert aside[0].name in about[0]
    # the session saves afresh beside the damaged file, which is never rewritten
    dock.session.triage(KEEP)
    assert json.loads(state.read_text(encoding="utf-8"))["triage"]
    assert aside[0].read_bytes() == DAMAGED_STATES[kind]


def test_a_damaged_state_file_leaves_the_project_state_in_charge(plugin, qgis_iface, workspace):
    dock = open_through_dock(plugin, qgis_iface, workspace)
    stem = dock.current_interferogram().label_stem
    dock.session.triage(KEEP)
    saved = dock.session.state
    dock.close_workspace()
    (workspace / ".mirage" / "state.json").write_bytes(b"\xff\xfe garbage")
    qgis_iface.messageBar().clear_messages()
    assert dock.open_workspace(str(workspace), saved)
    dock.wait()
    assert dock.session.state.decision(stem) == KEEP
    assert len([m for m in warnings_of(qgis_iface) if "state.json" in m]) == 1


def test_a_state_file_that_cannot_be_set_aside_is_never_saved_over(tmp_path, monkeypatch):
    from mirage_labeller.core.interferograms import state as workspace_state
    from mirage_labeller.core.interferograms.state import (
        WorkspaceState,
        read_sidecar,
        write_sidecar,
    )

    def refuse(*_):
        raise PermissionError(13, "Permission denied")

    path = tmp_path / ".mirage" / "state.json"
    path.parent.mkdir()
    path.write_bytes(b"\x80 not text")
    monkeypatch.setattr(workspace_state.os, "rename", refuse)
    state, warnings = read_sidecar(tmp_path)
    assert state is None and len(warnings) == 1 and "not saved over" in warnings[0]
    assert "not saved over" in write_sidecar(tmp_path, WorkspaceState())
    assert path.read_bytes() == b"\x80 not text"
    path.write_text("{}")  # mended by hand: read again, saved again
    assert read_sidecar(tmp_path) == (WorkspaceState(), [])
    assert write_sidecar(tmp_path, WorkspaceState()) is None


def test_a_readable_state_file_gives_no_warning_and_stays(plugin, qgis_iface, workspace):
    dock = open_through_dock(plugin, qgis_iface, workspace)
    dock.session.triage(KEEP)
    stem = dock.current_interferogram().label_stem
    dock.close_workspace()
    dock = open_through_dock(plugin, qgis_iface, workspace)
    assert dock.session.state.decision(stem) == KEEP
    assert not [m for m in warnings_of(qgis_iface) if "state.json" in m]
    assert not list((workspace / ".mirage").glob("state.json.damaged-*"))


# ------------------------------------------------------------------ basemaps
BAD_BASEMAPS = {
    "empty.xyz": b"",
    "blank.xyz": b"\n  \n",
    "latin1.xyz": b"https://tile.example.org/{z}/{x}/{y}.png?caf\xe9\n",
    "ftp.xyz": b"ftp://tile.example.org/{z}/{x}/{y}.png\n",
    "file.xyz": b"file:///etc/{z}/{x}/{y}\n",
    "no_tiles.xyz": b"https://tile.example.org/map.png\n",
}


def test_bad_basemap_files_are_skipped_with_a_warning_each(plugin, qgis_iface, workspace):
    folder = workspace / "basemaps"
    folder.mkdir()
    for name, data in BAD_BASEMAPS.items():
        (folder / name).write_bytes(data)
    (folder / "good.xyz").write_text("https://tile.example.org/{z}/{x}/{y}.png\n")
    dock = open_through_dock(plugin, qgis_iface, workspace)
    assert set(dock.layers.basemaps) == {"good"}
    for name in BAD_BASEMAPS:
        about = [m for m in warnings_of(qgis_iface) if name in m]
        assert len(about) == 1, (name, warnings_of(qgis_iface))


def test_the_tile_url_is_one_parameter_of_the_provider(qgis_new_project, tmp_path):
    from mirage_labeller.gui.basemaps import basemap_layer, xyz_uri

    url = "https://tile.example.org/{z}/{x}/{y}.png?key=1&referer=evil&authcfg=abc"
    uri = QgsDataSourceUri()
    uri.setEncodedUri(xyz_uri(url))
    assert uri.param("type") == "xyz" and uri.param("url") == url
    assert not uri.hasParam("referer") and not uri.hasParam("authcfg")
    path = tmp_path / "evil.xyz"
    path.write_text(url + "\n")
    layer, problem = basemap_layer(path)
    assert problem is None and layer.isValid() and layer.providerType() == "wms"
    back = QgsDataSourceUri()
    back.setEncodedUri(layer.source())
    assert back.param("url") == url
    assert not back.hasParam("referer") and not back.hasParam("authcfg")
    from qgis.core import QgsProviderRegistry

    decoded = QgsProviderRegistry.instance().decodeUri("wms", layer.source())
    assert decoded["url"] == url and not {"referer", "authcfg"} & set(decoded)


def test_no_basemap_is_shown_or_fetched_before_it_is_chosen(plugin, qgis_iface, workspace):
    from qgis.gui import QgsLayerTreeMapCanvasBridge

    folder = workspace / "basemaps"
    folder.mkdir()
    # a port nothing listens on: a request, if one were made, fails at once
    (folder / "topo.xyz").write_text("http://127.0.0.1:9/{z}/{x}/{y}.png\n")
    project = QgsProject.instance()
    main = qgis_iface.mapCanvas()
    # the main map as in QGIS: the checked layers of the layer tree (the test interface's
    # canvas would take every layer added to the project)
    project.layersAdded.disconnect(qgis_iface.addLayers)
    bridge = QgsLayerTreeMapCanvasBridge(project.layerTreeRoot(), main)
    requests = []
    manager = QgsNetworkAccessManager.instance()

    def count(request):
        requests.append(request.request().url().toString())

    created = manager.requestAboutToBeCreated[QgsNetworkRequestParameters]
    created.connect(count)
    views = plugin.views
    window = qgis_iface.mainWindow()
    try:
        window.show()
        main.resize(400, 400)
        views.show()
        dock = open_through_dock(plugin, qgis_iface, workspace)
        layer = dock.layers.basemaps["topo"]
        dock.zoom_to_labels()
        for _ in range(3):  # let every canvas render what it shows
            QTest.qWait(300)
            main.waitWhileRendering()
            for view in views.views:
                view.canvas.waitWhileRendering()
        assert requests == []
        assert not project.layerTreeRoot().findLayer(layer.id()).isVisible()
        assert layer not in main.layers()
        assert all(layer not in v.canvas.layers() for v in views.views)
        combo = views.views[3].combo
        index = combo.findData("topo")
        assert "127.0.0.1" in combo.itemText(index)
        assert "127.0.0.1" in (combo.itemData(index, Qt.ItemDataRole.ToolTipRole) or "")
        notes = [m for m in qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Info)
                 if "topo.xyz" in m]
        assert len(notes) == 1 and "127.0.0.1" in notes[0]
        combo.setCurrentIndex(index)  # the user picks it
        assert layer in views.views[3].canvas.layers()
        assert layer not in main.layers()
    finally:
        created.disconnect(count)
        project.layersAdded.connect(qgis_iface.addLayers)
        del bridge
        views.hide()
        window.hide()


def test_a_saved_basemap_choice_waits_for_the_user(plugin, qgis_iface, workspace):
    """A choice in the workspace's state file (which may come with someone else's data)
    does not by itself fetch tiles: the view says what it would contact."""
    folder = workspace / "basemaps"
    folder.mkdir()
    (folder / "topo.xyz").write_text("http://127.0.0.1:9/{z}/{x}/{y}.png\n")
    state = workspace / ".mirage" / "state.json"
    state.parent.mkdir(exist_ok=True)
    state.write_text(json.dumps({"settings": {"views": ["phase", "topo"], "view_count": 2}}))
    dock = open_through_dock(plugin, qgis_iface, workspace)
    views = plugin.views
    layer = dock.layers.basemaps["topo"]
    view = views.views[1]
    assert view.combo.currentData() == "topo"
    assert layer not in view.canvas.layers()
    assert "127.0.0.1" in view.empty.text()
    assert all(layer not in v.canvas.layers() for v in views.views)
    view.combo.activated.emit(view.combo.currentIndex())  # the user picks it again
    assert layer in view.canvas.layers()


# ------------------------------------------------------------------ a pending save, read-only
INNER = textwrap.dedent("""
    import os
    import sys
    from pathlib import Path

    from qgis.core import Qgis


    def test_inner(qgis_iface, qgis_new_project, tmp_path):
        # the repository imported as QGIS does (a folder named MirageLabeller on sys.path)
        (tmp_path / "MirageLabeller").symlink_to(os.environ["MIRAGE_RO_REPO"])
        sys.path.insert(0, str(tmp_path))
        import MirageLabeller as plugin_package  # noqa: N813

        folder = Path(os.environ["MIRAGE_RO_WORKSPACE"])
        stem = os.environ["MIRAGE_RO_STEM"]
        try:
            (folder / "labels" / "probe").write_text("x")
        except OSError:
            pass
        else:
            raise AssertionError("the labels folder is writable")
        plugin = plugin_package.classFactory(qgis_iface)
        plugin.initGui()
        try:
            dock = plugin.dock
            bar = qgis_iface.messageBar()
            bar.clear_messages()
            assert dock.open_workspace(str(folder))
            dock.wait()
            dock.show_stem(stem)
            dock.wait()
            assert dock.current_interferogram().label_stem == stem
            warnings = (bar.get_messages(Qgis.MessageLevel.Warning)
                        + bar.get_messages(Qgis.MessageLevel.Critical))
            about = [m for m in warnings if stem in m]
            assert len(about) == 1, warnings
            assert "read-only" in about[0]
            assert len(dock.session.labels()) == int(os.environ["MIRAGE_RO_COUNT"])
            assert dock.layers.labels_layer.featureCount() == len(dock.session.labels())
            # an edit is refused with a message, the labels stay as they are
            x0, y0, x1, y1 = dock.session.extent
            dock.session.set_candidate((x0 + 300, y0 + 300, x0 + 600, y0 + 600))
            dock.run_action("class:DG")
            dock.run_action("confirm")
            assert len(dock.session.labels()) == int(os.environ["MIRAGE_RO_COUNT"])
            assert any("read-only" in m for m in bar.get_messages(Qgis.MessageLevel.Critical))
        finally:
            plugin.unload()
""")


def test_a_pending_save_in_a_read_only_label_folder(workspace, tmp_path):
    """The folder is made read-only for real (a read-only bind mount in a user namespace:
    as root, permissions alone do not stop a write), so the dock runs in a child pytest."""
    from mirage_labeller.core.labels.store import LabelStore

    labels = workspace / "labels"
    store = LabelStore(labels)
    stem = max(store.stems(), key=store.count)
    count = store.count(stem)
    assert count > 0
    # a save interrupted before its commit point: a stage and no journal
    stage = labels / ".mirage-staging" / stem / "new-0123456789ab"
    stage.mkdir(parents=True)
    (stage / f"{stem}.dbf").write_bytes(b"half written")
    inner = tmp_path / "inner_read_only.py"
    inner.write_text(INNER)
    env = dict(os.environ, MIRAGE_RO_REPO=str(ROOT), MIRAGE_RO_WORKSPACE=str(workspace),
               MIRAGE_RO_STEM=stem, MIRAGE_RO_COUNT=str(count), QT_QPA_PLATFORM="offscreen")
    script = (f'mount --bind "{labels}" "{labels}" && '
              f'mount -o remount,bind,ro "{labels}" && '
              f'exec "{sys.executable}" -m pytest -q -x -p no:cacheprovider '
              f'--rootdir "{tmp_path}" -c /dev/null "{inner}"')
    run = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=str(ROOT), env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert stage.is_dir()  # nothing could be, and nothing was, cleaned up
