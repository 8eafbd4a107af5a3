"""Compiled loops are cached in the user's cache folder (or NUMBA_CACHE_DIR), never inside the
installed plugin's package folder, which may be read-only, shared by users, or replaced by
the next plugin update."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CODE = """
import importlib, sys
sys.path.insert(0, sys.argv[1])
arctangent = importlib.import_module(sys.argv[2] + ".core.terrain.arctangent")
assert abs(arctangent.atan2(1.0, 2.0) - 0.4636476090008061) < 1e-12
"""


def cache_files(folder: Path):
    return sorted(p for p in folder.rglob("*") if p.suffix in (".nbi", ".nbc"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The package copied twice, as the command line and as QGIS import it."""
    base = tmp_path_factory.mktemp("installed")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "mirage_labeller", base / "cli" / "mirage_labeller", ignore=ignore)
    (base / "plugins" / "MirageLabeller").mkdir(parents=True)
    (base / "plugins" / "MirageLabeller" / "__init__.py").write_text("")
    shutil.copytree(ROOT / "mirage_labeller", base / "plugins" / "MirageLabeller" /
                    "mirage_labeller", ignore=ignore)
    return {"mirage_labeller": base / "cli",
            "MirageLabeller.mirage_labeller": base / "plugins"}


@pytest.mark.parametrize("package", ["mirage_labeller", "MirageLabeller.mirage_labeller"])
@pytest.mark.parametrize("variable", ["NUMBA_CACHE_DIR", "XDG_CACHE_HOME"])
def test_the_numba_cache_goes_to_the_user_cache_folder(installed, tmp_path, package, variable):
    env = {k: v for k, v in os.environ.items()
           if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME")}
    env[variable] = str(tmp_path / "cache")
    env["HOME"] = str(tmp_path / "home")  # where nothing must appear either
    path = installed[package]
    subprocess.run([sys.executable, "-c", CODE, str(path), package], env=env, check=True,
                   timeout=300)
    expected = tmp_path / "cache"
    if variable == "XDG_CACHE_HOME":
        expected = expected / "mirage_labeller"
    expected = expected / f"numba-{package}"
    assert cache_files(expected), sorted(tmp_path.rglob("*"))
    assert cache_files(tmp_path / "cache") == cache_files(expected)
    assert not cache_files(path) and not cache_files(tmp_path / "home")
    for p in cache_files(path):  # leave the copy clean for the next case
        p.unlink()


def test_the_default_is_the_home_cache_folder(installed, tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME")}
    env["HOME"] = str(tmp_path / "home")
    path = installed["MirageLabeller.mirage_labeller"]
    subprocess.run([sys.executable, "-c", CODE, str(path), "MirageLabeller.mirage_labeller"],
                   env=env, check=True, timeout=300)
    expected = (tmp_path / "home" / ".cache" / "mirage_labeller"
                / "numba-MirageLabeller.mirage_labeller")
    assert cache_files(expected) and not cache_files(path)
