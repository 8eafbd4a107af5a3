"""Workshop exercises: a pack the student labels with the normal dock, and its hidden key.

A pack is a workspace (interferograms, coherence, dem, an empty ``labels/``) whose reference
labels are kept out of sight: zipped into ``.mirage/exercise/reference.zip``, a hidden
folder the dock never loads as a layer, and the workspace state starts in strict
step-by-step mode. Only what the student labels from is copied (rasters, inventories,
basemaps): review logs, notes, reports, ``truth.json`` and quick-looks could give the key
away, so anything not on that list stays behind.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import List, Optional, Union

from .workspace import LABEL_DIR, RASTER_EXTENSIONS, VECTOR_EXTENSIONS
from .workspace_state import WorkspaceState, write_sidecar

EXERCISE_DIR = Path(".mirage") / "exercise"
REFERENCE_ZIP = EXERCISE_DIR / "reference.zip"
EXERCISE_JSON = EXERCISE_DIR / "exercise.json"
# files a student labels from; companions travel with their raster or shapefile
_RASTER_FILES = RASTER_EXTENSIONS + (".ovr", ".aux.xml", ".hdr", ".tfw", ".rsc", ".qml")
_VECTOR_FILES = VECTOR_EXTENSIONS + (".shx", ".dbf", ".prj", ".cpg", ".qix", ".qml")
_BASEMAP_FILES = _RASTER_FILES + (".xyz",)
_NEVER_DIRS = {LABEL_DIR, "quicklook", "__pycache__"}


@dataclass
class Difficulty:
    """Generator settings a teacher turns: easy = strong signals, little noise."""

    name: str = "medium"
    noise: bool = True
    atmosphere: bool = True
    artefacts: bool = True
    looks: int = 4  # fewer looks: noisier phase

    @classmethod
    def preset(cls, name: str) -> "Difficulty":
        presets = {"easy": cls("easy", True, False, False, 16),
                   "medium": cls("medium", True, True, True, 4),
                   "hard": cls("hard", True, True, True, 1)}
        if name not in presets:
            raise ValueError(f"difficulty {name!r}: one of {', '.join(presets)}")
        return presets[name]


def make_exercise_from_workspace(source: Union[str, Path], out: Union[str, Path],
                                 title: str = "", min_iou: Optional[float] = None) -> Path:
    """A pack from any labelled workspace: its rasters copied, its labels hidden as the key."""
    source, out = Path(source), Path(out)
    labels = source / "labels"
    if not labels.is_dir() or not any(labels.glob("*.shp")):
        raise ValueError(f"{source}: no labels/ with label files to make a key from")
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out}: folder is not empty")
    pick = _inputs(source)
    if not pick:
        raise ValueError(f"{source}: no rasters to make an exercise from")
    out.mkdir(parents=True, exist_ok=True)
    for rel in pick:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, out / rel)
    (out / "labels").mkdir()
    (out / EXERCISE_DIR).mkdir(parents=True)
    with zipfile.ZipFile(out / REFERENCE_ZIP, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(labels.iterdir()):
            if f.is_file():
                zf.write(f, f.name)
    # the teacher's own path stays out: the pack travels to students
    meta = {"title": title or source.name, "min_iou": min_iou}
    (out / EXERCISE_JSON).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    state = WorkspaceState(root=str(out))
    state.settings.strict = True  # students walk the flowchart step by step
    write_sidecar(out, state)
    (out / "README.md").write_text(
        f"# Exercise: {meta['title']}\n\nOpen this folder in the MIRAGE Labeller dock, label the "
        "signals you find (the dock walks you through the five steps), then press *Check my "
        "work*.\n", encoding="utf-8")
    return out


def _inputs(source: Path) -> List[Path]:
    """Relative paths of the files a student labels from: rasters (interferograms,
    coherence, DEM and its layers, at any depth as GMTSAR keeps them), vector inventories
    in ``inventories/`` and basemaps in ``basemaps/``. Never labels, hidden folders, logs."""
    picked = []
    for dirpath, dirnames, filenames in os.walk(source):
        here = Path(dirpath).relative_to(source)
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and d not in _NEVER_DIRS)
        top = here.parts[0] if here.parts else ""
        allowed = (_VECTOR_FILES if top == "inventories" else
                   _BASEMAP_FILES if top == "basemaps" else _RASTER_FILES)
        for name in sorted(filenames):
            if not name.startswith(".") and name.lower().endswith(allowed):
                picked.append(here / name)
    return picked


def make_synthetic_exercise(out: Union[str, Path], seed: int = 1, difficulty: str = "medium",
                            size: int = 700, n_interferograms: int = 6, region: str = "Alps",
                            progress=None, min_iou: Optional[float] = None) -> Path:
    """A pack from the generator with a difficulty preset."""
    from .synthetic import SynthConfig, build_workspace

    d = Difficulty.preset(difficulty)
    with tempfile.TemporaryDirectory(prefix="mirage-exercise-") as tmp:
        src = Path(tmp) / "ws"
        build_workspace(SynthConfig(str(src), seed=seed, region=region, size=size,
                                    n_interferograms=n_interferograms, noise=d.noise,
                                    atmosphere=d.atmosphere, artefacts=d.artefacts,
                                    looks=d.looks), progress)
        pack = make_exercise_from_workspace(src, out, f"synthetic, seed {seed}, {d.name}",
                                            min_iou)
    meta = json.loads((pack / EXERCISE_JSON).read_text(encoding="utf-8"))
    meta.update(difficulty=asdict(d), seed=seed)
    (pack / EXERCISE_JSON).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return pack


def is_exercise(root: Union[str, Path]) -> bool:
    return (Path(root) / REFERENCE_ZIP).is_file()


def extract_reference(root: Union[str, Path], into: Union[str, Path]) -> Path:
    """The key, unpacked for scoring (into a folder of the caller's, never the pack)."""
    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    path = Path(root) / REFERENCE_ZIP
    try:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if "/" in name or "\\" in name or name.startswith("."):
                    raise ValueError(f"{path}: the exercise key holds an unexpected entry "
                                     f"{name!r}")
            zf.extractall(into)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise ValueError(f"{path}: the exercise key is damaged ({exc}); ask the teacher for "
                         "the pack again") from exc
    return into


def exercise_min_iou(root: Union[str, Path]) -> float:
    """The IoU the teacher chose for this pack (exercise.json), else the default 0.2."""
    from .scoring import DEFAULT_MIN_IOU

    try:
        meta = json.loads((Path(root) / EXERCISE_JSON).read_text(encoding="utf-8"))
        value = float(meta.get("min_iou") or DEFAULT_MIN_IOU)
    except (OSError, ValueError, TypeError, AttributeError):
        return DEFAULT_MIN_IOU
    return value if 0.0 < value <= 1.0 else DEFAULT_MIN_IOU
