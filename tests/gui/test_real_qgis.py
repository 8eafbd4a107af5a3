"""Real QGIS desktop (Debian's 3.22) under xvfb-run loads and unloads the installed plugin."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1] / "helpers"


@pytest.mark.slow
def test_real_qgis_load_open_unload(repo_root, tmp_path, alps_workspace):
    sys.path.insert(0, str(repo_root / "tools"))
    from package import install_into

    profiles = tmp_path / "profiles"
    install_into(profiles / "profiles" / "default" / "python" / "plugins")
    result_file = tmp_path / "result.json"
    workspace = tmp_path / "ws"
    shutil.copytree(alps_workspace[0], workspace)  # this test writes labels: its own copy
    env = dict(os.environ, MIRAGE_TEST_RESULT=str(result_file),
               MIRAGE_TEST_WORKSPACE=str(workspace))
    env.pop("QT_QPA_PLATFORM", None)  # the desktop app needs a real (virtual) display
    for var in ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH"):  # set by pytest-qgis
        env.pop(var, None)
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "qgis", "--profiles-path",
         str(profiles), "--nologo", "--noversioncheck", "--code",
         str(HERE / "qgis_load_unload_script.py")],
        env=env, capture_output=True, text=True, timeout=240)
    assert result_file.exists(), proc.stdout[-2000:] + proc.stderr[-2000:]
    result = json.loads(result_file.read_text())
    assert result["loaded"] and result["unloaded"]
    loaded = result["after_load"]
    assert loaded["menu"] and loaded["toolbars"] == ["MirageLabellerToolbar"]
    assert loaded["docks"] == 2 and loaded["dock_visible"] and loaded["provider"]
    assert len(loaded["menu"]) == 5  # the submenu, dock, box tool, linked views, review
    assert result["hidden_by_action"] and result["shown_by_action"]
    assert result["after_open"]["layers"] == 5  # labels, phase, coherence, hillshade, dem
    # mouse and keys in the real main window reach the box tool: draw, G, 2, Return, Ctrl+Z
    assert result["keys"] == {"candidate": True, "saved": 1, "after_undo": 0}
    assert result["after_unload"] == {"menu": [], "toolbars": [], "docks": 0,
                                      "dock_visible": False, "provider": False, "layers": 0}
