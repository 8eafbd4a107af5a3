"""inspect: what the plugin infers from rasters, or what a workspace holds.

Each file is reported on its own (one that cannot be read does not hide the others) and the
status is 1 when any could not be used. Processing's outputs IFG, BT, TRAJ and PROBLEMS are
those of the first raster inspected, as the toolbox's "Interferogram metadata" has had them.
"""
from __future__ import annotations

from pathlib import Path

from ..base.errors import MirageError
from .base import Operation
from .params import INPUT_PATH, Param
from .result import Result, ValueSpec


def run(p, progress) -> Result:
    from ..interferograms.facts import (
        RasterReadError,
        detect_coherence_encoding,
        detect_phase_encoding,
        label_crs_for,
        read_raster_facts,
    )
    from ..interferograms.metadata import is_coherence_name, is_dem_name, parse_interferogram_path
    from ..interferograms.workspace import RASTER_EXTENSIONS

    result = Result()
    for k, target in enumerate(p["paths"]):
        progress.check()
        progress(k / len(p["paths"]), str(target))
        path = Path(target)
        if path.is_dir() and path.name.lower().endswith(RASTER_EXTENSIONS):
            _failed(result, f"{path}: is a folder, not a raster file")
            continue
        if path.is_dir():
            _inspect_workspace(path, result)
            continue
        try:
            facts = read_raster_facts(str(path))
        except RasterReadError as exc:
            _failed(result, str(exc))
            continue
        lon = facts.centre_lonlat[0] if facts.centre_lonlat else None
        meta = parse_interferogram_path(str(path), facts.tags, lon)
        result.say(facts.describe())
        if "IFG" not in result.values:
            result.values.update({"IFG": meta.ifg or "",
                                  "BT": meta.bt if meta.bt is not None else -1,
                                  "TRAJ": meta.traj or "",
                                  "PROBLEMS": "; ".join(str(x) for x in meta.problems)})
        if is_dem_name(path.name):
            result.say("  read as a DEM (by its name)")
            continue
        coherence = is_coherence_name(path.name)
        encoding = (detect_coherence_encoding if coherence else detect_phase_encoding)(facts)
        result.say(f"  {meta.describe()}  "
                   f"({'; '.join(f'{k}: {v}' for k, v in meta.sources.items())})")
        result.say(f"  read as {encoding.kind}: {encoding.units}")
        result.say(f"  labels would be written in {label_crs_for(facts).reason}")
        for line in (*meta.problems, *meta.notes, *encoding.messages, *encoding.problems):
            result.say(f"  ! {line}")
        if encoding.problems:
            result.status = 1
    return result


def _failed(result: Result, line: str) -> None:
    result.say(f"! {line}")
    result.status = 1


def _inspect_workspace(path: Path, result: Result) -> None:
    """A workspace's interferograms with their pairing and labels; every label file is read
    whole (a damaged one is named), every coherence map checked against its interferogram."""
    from ..interferograms.facts import detect_coherence_encoding, grid_mismatch, read_raster_facts
    from ..interferograms.workspace import open_workspace
    from ..labels.store import LabelStore

    ws = open_workspace(path)
    store = LabelStore(ws.label_dir)
    result.say(f"workspace {ws.root}: {len(ws.interferograms)} interferograms, "
               f"DEM: {ws.dem or 'none'}")
    problems = list(ws.problems)
    for item in ws.interferograms:
        count = 0
        if item.label_path.exists() or (store.directory / ".mirage-staging" /
                                        item.label_stem).is_dir():
            try:
                label_set = store.read(item.label_stem)
                count = len(label_set.labels)
                problems += label_set.warnings
            except MirageError as exc:
                count = "?"
                problems.append(str(exc))
                result.status = 1
        if item.coherence is not None:
            try:
                coh = read_raster_facts(str(item.coherence), 64)
                why = (list(detect_coherence_encoding(coh).problems)
                       or [grid_mismatch(coh, read_raster_facts(str(item.path), 64))])
            except MirageError as exc:
                why = [str(exc)]
            problems += [w for w in why if w]
        coherence = item.coherence.name if item.coherence else "-"
        result.say(f"  {item.meta.describe()}  coherence={coherence}  labels={count}")
    for problem in dict.fromkeys(str(p) for p in problems):
        result.say(f"  ! {problem}")


OPERATION = Operation(
    name="inspect", processing_id="interferogrammetadata",
    title="Interferogram metadata (IFG, Bt, Traj)",
    help="what the plugin infers from rasters or a workspace", group="Workspace",
    description="Print the dates, IFG, temporal baseline Bt, orbit Traj, CRS and value "
                "encoding the plugin infers for interferogram, coherence and DEM rasters (from "
                "file names, folders and GeoTIFF tags: LiCSAR, GMTSAR, HyP3, GAMMA/PyRate "
                "conventions) and what it could not establish; for a workspace folder, list "
                "its interferograms with their coherence and labels. Exit status 1 when a "
                "file cannot be used.",
    params=(
        Param("paths", INPUT_PATH, "Interferogram, coherence or DEM rasters (or workspaces)",
              "rasters or workspace folders to inspect", positional=True, many=True,
              processing_name="INPUT"),
    ),
    values=(ValueSpec("IFG", "string", "IFG"), ValueSpec("BT", "number", "Bt (days)"),
            ValueSpec("TRAJ", "string", "Traj"), ValueSpec("PROBLEMS", "string", "Problems")),
    runner=run)
