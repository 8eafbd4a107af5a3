"""The workspace convention: which files of a folder are interferograms, coherence, DEM, labels.

    ROOT/interferograms/*.tif   (any depth: GMTSAR keeps dates in folder names)
    ROOT/coherence/*.tif        (or coherence-named files beside the interferograms)
    ROOT/dem/dem.tif            (plus DEM-derived layers in the same folder)
    ROOT/labels/<interferogram file stem>.shp

A folder without this layout is scanned whole: coherence and DEM files are told apart by name.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Union

from ..base.errors import InputError
from ..base.messages import Msg
from ..labels.store import LabelStore
from .metadata import (
    IfgMetadata,
    is_coherence_name,
    is_dem_name,
    pair_coherence,
    parse_interferogram_path,
)

IFG_DIR = "interferograms"
COHERENCE_DIR = "coherence"
DEM_DIR = "dem"
LABEL_DIR = "labels"
RASTER_EXTENSIONS = (".tif", ".tiff", ".grd", ".nc", ".vrt", ".img")
_SKIP_DIRS = {LABEL_DIR, ".mirage-staging", ".mirage-backup", "__pycache__"}
VECTOR_EXTENSIONS = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".gml", ".sqlite")
_FAR = dt.date(9999, 1, 1)  # sorts interferograms without dates last


@dataclass
class WorkspaceInterferogram:
    path: Path
    meta: IfgMetadata
    coherence: Optional[Path]
    label_stem: str
    label_path: Path

    @property
    def label_count(self) -> int:
        return LabelStore(self.label_path.parent).count(self.label_stem)


@dataclass
class Workspace:
    root: Path
    interferograms: List[WorkspaceInterferogram]
    dem: Optional[Path]
    terrain_layers: Dict[str, Path]  # name -> raster in the DEM folder (hillshade, slope, ...)
    label_dir: Path
    problems: List[str] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)  # files and folders left out, and why


def _rasters(folder: Path, skipped: Optional[List[str]] = None) -> List[Path]:
    """Raster files below ``folder``; folders named like a raster (``x.tif/``) are not rasters
    and not looked into, and ``skipped`` says so."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        odd = [d for d in dirnames if d.lower().endswith(RASTER_EXTENSIONS)]
        if skipped is not None:
            skipped += [Msg("{path}: a folder named like a raster file; skipped",
                            path=Path(dirpath) / d) for d in sorted(odd)]
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and d not in odd)
        for name in sorted(filenames):
            if name.lower().endswith(RASTER_EXTENSIONS) and not name.lower().endswith(".aux.xml"):
                found.append(Path(dirpath) / name)
    return found


def _metadata(path: Path) -> IfgMetadata:
    """Name first; open the raster for its tags only when the name is not enough."""
    meta = parse_interferogram_path(str(path))
    if meta.complete:
        return meta
    try:
        from .facts import read_raster_facts

        facts = read_raster_facts(str(path), sample_size=8)
    except Exception:  # noqa: BLE001 - unreadable: the dock reports it when the file is opened
        return meta
    lon = facts.centre_lonlat[0] if facts.centre_lonlat else None
    return parse_interferogram_path(str(path), facts.tags, lon)


def _unique_stems(files: List[Path], base: Path) -> Dict[Path, str]:
    """Label file stem of each interferogram: its file stem, prefixed with as many parent
    folder names as it takes to tell apart files of the same name (GMTSAR's phasefilt in
    F1/intf/2019227_2019233 and F2/intf/2019227_2019233)."""
    stems = {p: p.stem for p in files}
    for depth in range(1, 64):
        counts: Dict[str, int] = {}
        for stem in stems.values():
            counts[stem] = counts.get(stem, 0) + 1
        clashes = [p for p, s in stems.items() if counts[s] > 1]
        if not clashes:
            break
        for p in clashes:
            parents = p.relative_to(base).parent.parts if base in p.parents else p.parent.parts
            stems[p] = "_".join(parents[-depth:] + (p.stem,))
    return stems


def scan_dem_folder(dem_dir: Path):
    """(DEM, {layer name: raster}) of a workspace's dem/ folder: dem.tif (or a DEM-named
    raster) and the derived layers beside it (slope.tif, twi.tif, ...)."""
    dem = None
    terrain: Dict[str, Path] = {}
    if Path(dem_dir).is_dir():
        for p in _rasters(Path(dem_dir)):
            if p.stem.lower() == "dem" or (dem is None and is_dem_name(p.name)):
                dem = p
            else:
                terrain[p.stem] = p
    return dem, terrain


def open_workspace(root: Union[str, Path]) -> Workspace:
    """Scan ``root`` (fast: names, and tags only where names say too little)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError.at(root, "workspace folder not found" if not root.exists()
                            else "is a file, not a workspace folder")
    ifg_dir = root / IFG_DIR if (root / IFG_DIR).is_dir() else root
    skipped: List[str] = []
    candidates = _rasters(ifg_dir, skipped)
    if (root / COHERENCE_DIR).is_dir():
        coherence_files = _rasters(root / COHERENCE_DIR, skipped)
    else:
        coherence_files = []
    dem_dir = root / DEM_DIR
    dem, terrain = scan_dem_folder(dem_dir)
    loose = [p for p in candidates
             if dem_dir not in p.parents and (root / COHERENCE_DIR) not in p.parents]
    ifg_files, more_coherence, named_dem = _sort_by_name(loose)
    ws = _assemble(root, ifg_files, coherence_files + more_coherence, dem or named_dem,
                   terrain, ifg_dir)
    ws.skipped = list(dict.fromkeys(skipped))
    ws.problems[:0] = ws.skipped
    return ws


def _sort_by_name(paths: List[Path]):
    """(interferograms, coherence maps, first DEM) among rasters, told apart by name."""
    ifgs, coherence, dem = [], [], None
    for p in paths:
        if is_coherence_name(p.name):
            coherence.append(p)
        elif is_dem_name(p.name):
            dem = dem or p
        else:
            ifgs.append(p)
    return ifgs, coherence, dem


def open_workspace_files(files: List[Union[str, Path]]) -> Workspace:
    """A workspace from chosen files: interferograms (coherence and DEM files among them are
    told apart by name), plus coherence-named rasters beside them. Labels go to
    ``<common folder>/labels``."""
    paths = [Path(f).resolve() for f in files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"{missing[0]}: file not found")
    if not paths:
        raise ValueError("no file chosen")
    root = Path(os.path.commonpath([str(p.parent) for p in paths]))
    ifg_files, coherence_files, dem = _sort_by_name(paths)
    for folder in sorted({p.parent for p in ifg_files}):
        coherence_files += [p for p in _rasters(folder)
                            if is_coherence_name(p.name) and p not in coherence_files]
    return _assemble(root, ifg_files, coherence_files, dem, {}, root)


def _assemble(root: Path, ifg_files: List[Path], coherence_files: List[Path],
              dem: Optional[Path], terrain: Dict[str, Path], ifg_dir: Path) -> Workspace:
    problems: List[str] = []
    coherence_meta = [_metadata(p) for p in coherence_files]
    label_dir = root / LABEL_DIR
    label_stems = _unique_stems(ifg_files, ifg_dir)
    items = []
    for p in ifg_files:
        meta = _metadata(p)
        pair = pair_coherence(meta, coherence_meta)
        if pair is None:
            problems.append(Msg("{name}: no coherence map with the same dates found",
                                name=p.name))
        stem = label_stems[p]
        items.append(WorkspaceInterferogram(p, meta, Path(pair.path) if pair else None, stem,
                                            label_dir / f"{stem}.shp"))
        problems += [Msg("{name}: {problem}", name=p.name, problem=msg) for msg in meta.problems]
    items.sort(key=lambda it: (it.meta.master or _FAR, it.meta.slave or _FAR, it.path.name))
    if not items:
        problems.append(Msg("{root}: no interferogram found (expected rasters in "
                            "{IFG_DIR}/)",
                            root=root, IFG_DIR=IFG_DIR))
    return Workspace(root, items, dem, terrain, label_dir, problems)
