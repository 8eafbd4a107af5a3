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
    import MirageLabeller

    yield MirageLabeller
    sys.path.remove(str(plugins))


@pytest.fixture(scope="session")
def degree_workspace(tmp_path_factory):
    """A synthetic workspace whose rasters are in degrees (EPSG:4326, warped as a GAMMA or
    PyRate product would come) while its labels stay in metres: the store writes labels of a
    geographic interferogram in its UTM zone (here EPSG:32632). Built once per session."""
    import rasterio
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace

    src_ws = tmp_path_factory.mktemp("metric") / "ws"
    build_workspace(SynthConfig(str(src_ws), seed=4, size=500, n_interferograms=3))
    out = tmp_path_factory.mktemp("degrees") / "ws"
    for path in sorted(src_ws.rglob("*")):
        rel = path.relative_to(src_ws)
        target = out / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix != ".tif":
            target.write_bytes(path.read_bytes())
            continue
        with rasterio.open(path) as src:
            transform, width, height = calculate_default_transform(
                src.crs, "EPSG:4326", src.width, src.height, *src.bounds)
            profile = dict(src.profile, crs="EPSG:4326", transform=transform, width=width,
                           height=height)
            nodata = src.nodata if src.nodata is not None else (
                float("nan") if src.dtypes[0].startswith("float") else 0)
            profile["nodata"] = nodata
            with rasterio.open(target, "w", **profile) as dst:
                reproject(rasterio.band(src, 1), rasterio.band(dst, 1),
                          resampling=Resampling.nearest, dst_nodata=nodata)
    return out
