"""Shared fixtures: synthetic workspaces built once per session in temporary folders, and the
plugin imported the way QGIS imports it (as a package named after its folder)."""
import os
import sys
from pathlib import Path

import pytest

if os.path.isdir("/usr/share/proj"):
    os.environ.setdefault("PROJ_DATA", "/usr/share/proj")  # Debian's pyproj inside a venv

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def alps_workspace(tmp_path_factory):
    """A realistic (noisy) Alpine workspace: (folder, truth)."""
    from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace

    out = tmp_path_factory.mktemp("alps")
    truth = build_workspace(SynthConfig(str(out), seed=7, size=700))
    return out, truth


@pytest.fixture(scope="session")
def clean_workspace(tmp_path_factory):
    """Deformation only (no noise, atmosphere or artefacts), for exact physics checks."""
    from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace

    out = tmp_path_factory.mktemp("clean")
    truth = build_workspace(SynthConfig(str(out), seed=3, size=700, noise=False,
                                        atmosphere=False, artefacts=False))
    return out, truth


@pytest.fixture(scope="session")
def plugin_package(tmp_path_factory):
    """The repository imported as QGIS does: a folder named MirageLabeller on sys.path."""
    plugins = tmp_path_factory.mktemp("plugins")
    (plugins / "MirageLabeller").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(plugins))
    import MirageLabeller  # noqa: N813

    yield MirageLabeller
    sys.path.remove(str(plugins))
