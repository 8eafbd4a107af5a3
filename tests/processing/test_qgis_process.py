"""The real qgis_process (Debian's 3.22) finds every MIRAGE algorithm of the installed plugin
and runs one: what a script or a batch job on a server sees."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

QGIS_PROCESS = "/usr/bin/qgis_process.bin"  # the wrapper adds --noversioncheck, which 3.22 rejects


def _env(tmp_path: Path, plugins: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_PLUGINPATH=str(plugins),
               QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "config"))
    env.pop("QGIS_OPTIONS_PATH", None)  # set by pytest-qgis for its own profile
    return env


def _qgis_process(env, *args, timeout=240):
    return subprocess.run([QGIS_PROCESS, *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.slow
@pytest.mark.skipif(not Path(QGIS_PROCESS).exists(), reason="needs Debian's qgis_process")
def test_qgis_process_lists_and_runs_the_algorithms(repo_root, tmp_path):
    sys.path.insert(0, str(repo_root / "tools"))
    from package import PLUGIN_DIR_NAME, install_into

    from mirage_labeller.core.operations import OPERATIONS

    plugins = tmp_path / "plugins"
    install_into(plugins)
    env = _env(tmp_path, plugins)
    enabled = _qgis_process(env, "plugins", "enable", PLUGIN_DIR_NAME)
    assert enabled.returncode == 0, enabled.stdout[-2000:] + enabled.stderr[-2000:]
    listed = _qgis_process(env, "list", "--json")
    assert listed.returncode == 0, listed.stderr[-2000:]
    provider = json.loads(listed.stdout)["providers"]["mirage"]
    ids = {name.split(":", 1)[1] for name in provider["algorithms"]}
    assert len(ids) >= len(OPERATIONS) == 13
    assert ids == {op.processing_id for op in OPERATIONS}
    out = tmp_path / "ws"
    ran = _qgis_process(env, "run", "mirage:syntheticworkspace", "--", "SIZE=300",
                        "INTERFEROGRAMS=1", "SEED=3", f"OUTPUT={out}")
    assert ran.returncode == 0, ran.stdout[-2000:] + ran.stderr[-2000:]
    assert (out / "truth.json").is_file() and "N_LABELS" in ran.stdout
    refused = _qgis_process(env, "run", "mirage:syntheticworkspace", "--", "SIZE=300",
                            f"OUTPUT={out}")
    assert refused.returncode != 0
    assert "folder is not empty" in refused.stdout + refused.stderr
    shutil.rmtree(out)
