"""Workshop exercises: a pack the student labels with the normal dock, and its hidden key.

A pack is a workspace (interferograms, coherence, dem, an empty ``labels/``) whose reference
labels are kept out of sight: zipped into ``.mirage/exercise/reference.zip``, a hidden
folder the dock never loads as a layer, and the workspace state starts in strict
step-by-step mode. ``truth.json`` and quick-looks of a synthetic source are not copied.
"""
from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional, Union

from .workspace_state import WorkspaceState, write_sidecar

EXERCISE_DIR = Path(".mirage") / "exercise"
REFERENCE_ZIP = EXERCISE_DIR / "reference.zip"
EXERCISE_JSON = EXERCISE_DIR / "exercise.json"
_SKIP = {"labels", "truth.json", "quicklook", ".mirage", "README.md"}


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
    out.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name in _SKIP or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, out / item.name)
        else:
            shutil.copy2(item, out / item.name)
    (out / "labels").mkdir()
    (out / EXERCISE_DIR).mkdir(parents=True)
    with zipfile.ZipFile(out / REFERENCE_ZIP, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(labels.iterdir()):
            if f.is_file():
                zf.write(f, f.name)
    meta = {"title": title or source.name, "source": str(source),
            "min_iou": min_iou}
    (out / EXERCISE_JSON).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    state = WorkspaceState(root=str(out))
    state.settings.strict = True  # students walk the flowchart step by step
    write_sidecar(out, state)
    (out / "README.md").write_text(
        f"# Exercise: {meta['title']}\n\nOpen this folder in the MIRAGE Labeller dock, label the "
        "signals you find (the dock walks you through the five steps), then press *Check my "
        "work*.\n", encoding="utf-8")
    return out


def make_synthetic_exercise(out: Union[str, Path], seed: int = 1, difficulty: str = "medium",
                            size: int = 700, n_interferograms: int = 6, region: str = "Alps",
                            progress=None) -> Path:
    """A pack from the generator with a difficulty preset."""
    from .synthetic import SynthConfig, build_workspace

    d = Difficulty.preset(difficulty)
    with tempfile.TemporaryDirectory(prefix="mirage-exercise-") as tmp:
        src = Path(tmp) / "ws"
        build_workspace(SynthConfig(str(src), seed=seed, region=region, size=size,
                                    n_interferograms=n_interferograms, noise=d.noise,
                                    atmosphere=d.atmosphere, artefacts=d.artefacts,
                                    looks=d.looks), progress)
        pack = make_exercise_from_workspace(src, out, f"synthetic, seed {seed}, {d.name}")
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
    with zipfile.ZipFile(Path(root) / REFERENCE_ZIP) as zf:
        for name in zf.namelist():
            if "/" in name or "\\" in name or name.startswith("."):
                raise ValueError(f"{root}: the exercise key holds an unexpected entry {name!r}")
        zf.extractall(into)
    return into
