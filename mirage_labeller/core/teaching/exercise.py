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

from ..base.errors import InputError, OutputError, clean_library_text, from_os_error
from ..base.messages import Msg
from ..base.outputs import OutputFiles, check_output
from ..interferograms.state import WorkspaceState, write_sidecar
from ..interferograms.workspace import LABEL_DIR, RASTER_EXTENSIONS, VECTOR_EXTENSIONS
from ..labels.store import read_label_file

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
                                 title: str = "", min_iou: Optional[float] = None,
                                 notes: Optional[List[str]] = None,
                                 extra: Optional[dict] = None) -> Path:
    """A pack from any labelled workspace: its rasters copied, its labels hidden as the key.
    Written beside ``out`` and moved in at the end (complete or absent); links that lead
    outside the workspace are not followed (``notes`` says which were left out)."""
    source, target = Path(source), Path(out)
    labels = source / "labels"
    if not labels.is_dir() or not _key_files(labels):
        raise InputError.at(source, "no labels/ with label files to make a key from")
    check_output(target, [source], [labels], folder=True)
    if target.exists() and any(target.iterdir()):
        raise OutputError.at(target, "folder is not empty", "choose a new or empty folder")
    skipped: List[str] = []
    pick = _inputs(source, skipped)
    if notes is not None:
        notes += [Msg("{path}: a link to outside the workspace or a folder named like a "
                      "raster; not copied into the pack", path=s) for s in skipped]
    if not pick:
        raise InputError.at(source, "no rasters to make an exercise from")
    for part in _key_files(labels):  # the key must be whole: LabelFileError names a file
        warnings = read_label_file(part).warnings
        if notes is not None:
            notes += warnings
    _check_readable(source, pick)
    with OutputFiles() as files:
        _write_pack(source, files.temp(target, folder=True), pick, labels, title, min_iou,
                    extra or {})
    return target


def _write_pack(source: Path, out: Path, pick: List[Path], labels: Path, title: str,
                min_iou: Optional[float], extra: dict) -> None:
    for rel in pick:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, out / rel)
    (out / "labels").mkdir()
    (out / EXERCISE_DIR).mkdir(parents=True)
    parts = {p.stem + ext for p in _key_files(labels) for ext in _KEY_PARTS}
    with zipfile.ZipFile(out / REFERENCE_ZIP, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(labels.iterdir()):  # the label files' parts only, never links
            if f.name in parts and f.is_file() and not f.is_symlink():
                zf.write(f, f.name)
    # the teacher's own path stays out: the pack travels to students
    meta = {"title": title or source.name, "min_iou": min_iou, **extra}
    (out / EXERCISE_JSON).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    state = WorkspaceState(root=str(out))
    state.settings.strict = True  # students walk the flowchart step by step
    write_sidecar(out, state)
    (out / "README.md").write_text(
        f"# Exercise: {meta['title']}\n\nOpen this folder in the MIRAGE Labeller dock, label the "
        "signals you find (the dock walks you through the five steps), then press *Check my "
        "work*.\n", encoding="utf-8")


def _key_files(labels: Path) -> List[Path]:
    """The label files a key is made of: plain, visible shapefiles (a link could carry a
    file from elsewhere; hidden files are no labels)."""
    return sorted(p for p in labels.glob("*.shp")
                  if not p.name.startswith(".") and not p.is_symlink() and p.is_file())


def _check_readable(source: Path, pick: List[Path]) -> None:
    """Students get only files that open: every raster is read (a decimated sample) and
    every inventory read whole, so a damaged one stops the pack with its name."""
    from ..interferograms.facts import read_raster_facts

    for rel in pick:
        path = source / rel
        suffix = path.suffix.lower()
        if suffix in RASTER_EXTENSIONS and rel.parts[0] != "inventories":
            read_raster_facts(str(path), sample_size=64)
        elif suffix in VECTOR_EXTENSIONS and rel.parts[0] == "inventories":
            import fiona

            try:
                with fiona.open(str(path)) as src:
                    for _ in src:
                        pass
            except Exception as exc:  # noqa: BLE001 - GDAL's errors: any means unreadable
                raise InputError.at(path, f"cannot be read as a vector layer "
                                          f"({clean_library_text(exc)})",
                                    "repair it or remove it from inventories/") from None


def _inputs(source: Path, skipped: Optional[List[str]] = None) -> List[Path]:
    """Relative paths of the files a student labels from: rasters (interferograms,
    coherence, DEM and its layers, at any depth as GMTSAR keeps them), vector inventories
    in ``inventories/`` and basemaps in ``basemaps/``. Never labels, hidden folders, logs,
    nor links whose target lies outside the workspace (a pack travels: it must not carry
    files the teacher never meant to share)."""
    picked = []
    real_source = source.resolve()
    for dirpath, dirnames, filenames in os.walk(source):
        here = Path(dirpath).relative_to(source)
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and d not in _NEVER_DIRS)
        odd = [d for d in dirnames if d.lower().endswith(RASTER_EXTENSIONS)]
        if skipped is not None:
            skipped += [str(here / d) for d in odd]
        dirnames[:] = [d for d in dirnames if d not in odd]
        top = here.parts[0] if here.parts else ""
        allowed = (_VECTOR_FILES if top == "inventories" else
                   _BASEMAP_FILES if top == "basemaps" else _RASTER_FILES)
        for name in sorted(filenames):
            if not name.startswith(".") and name.lower().endswith(allowed):
                real = (source / here / name).resolve()
                if real != real_source and real_source not in real.parents:
                    if skipped is not None:
                        skipped.append(str(here / name))
                    continue
                picked.append(here / name)
    return picked


def make_synthetic_exercise(out: Union[str, Path], seed: int = 1, difficulty: str = "medium",
                            size: int = 700, n_interferograms: int = 6, region: str = "Alps",
                            progress=None, min_iou: Optional[float] = None) -> Path:
    """A pack from the generator with a difficulty preset."""
    from ..synthetic.generator import SynthConfig, build_workspace

    d = Difficulty.preset(difficulty)
    with tempfile.TemporaryDirectory(prefix="mirage-exercise-") as tmp:
        src = Path(tmp) / "ws"
        build_workspace(SynthConfig(str(src), seed=seed, region=region, size=size,
                                    n_interferograms=n_interferograms, noise=d.noise,
                                    atmosphere=d.atmosphere, artefacts=d.artefacts,
                                    looks=d.looks), progress)
        return make_exercise_from_workspace(src, out, f"synthetic, seed {seed}, {d.name}",
                                            min_iou, extra={"difficulty": asdict(d),
                                                            "seed": seed})


def is_exercise(root: Union[str, Path]) -> bool:
    return (Path(root) / REFERENCE_ZIP).is_file()


_KEY_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
             *(f"LPT{i}" for i in range(10))}  # Windows device names
MAX_KEY_BYTES = 256 * 1024 * 1024  # far above any label set (MIRAGE's whole set: a few MB)


def extract_reference(root: Union[str, Path], into: Union[str, Path]) -> Path:
    """The key, unpacked for scoring (into a folder of the caller's, never the pack). Only
    plain file names, at most ``MAX_KEY_BYTES`` in all however the zip declares its sizes
    (a zip bomb stops there), every member's checksum verified."""
    import zlib

    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    path = Path(root) / REFERENCE_ZIP
    damaged = "the exercise key is damaged"
    again = "ask the teacher for the pack again"
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            for info in members:
                name = info.filename
                if ("/" in name or "\\" in name or ":" in name or name.startswith(".")
                        or not name or name.split(".")[0].upper() in _RESERVED
                        or (into / name).resolve().parent != into.resolve()):
                    raise InputError.at(path, f"the exercise key holds an unexpected entry "
                                              f"{name[:80]!r}", again)
            if sum(info.file_size for info in members) > MAX_KEY_BYTES:
                raise InputError.at(path, "the exercise key unpacks to more than "
                                          f"{MAX_KEY_BYTES // 2**20} MB: not a label set", again)
            left = MAX_KEY_BYTES
            for info in members:
                with zf.open(info) as src, open(into / info.filename, "wb") as dst:
                    while True:
                        chunk = src.read(1 << 20)
                        if not chunk:
                            break
                        left -= len(chunk)
                        if left < 0:
                            raise InputError.at(path, "the exercise key unpacks to more than "
                                                      f"{MAX_KEY_BYTES // 2**20} MB: not a "
                                                      "label set", again)
                        dst.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error,
            NotImplementedError, RuntimeError) as exc:
        raise InputError.at(path, f"{damaged} ({clean_library_text(exc)})", again) from None
    except OSError as exc:
        raise from_os_error(exc, path, "unpacking the exercise key") from None
    if not any(p.suffix.lower() == ".shp" for p in into.iterdir()):
        raise InputError.at(path, "the exercise key holds no label file", again)
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
