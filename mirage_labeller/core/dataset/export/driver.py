"""The training export itself (``export_training_set``): plan, split, then chips cut one
interferogram at a time into a folder beside the output, swapped in at the end, so an export
is complete or absent.

The output folder is absent, empty or a previous export (its marker file, ``MARKER``): only
what an export writes (``GENERATED``) is replaced there, anything else the user keeps stays.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from ...base import crs as base_crs
from ...base.errors import InputError, OutputError, from_os_error
from ...base.messages import Msg
from ...base.outputs import OutputFiles
from ...base.progress import Cancelled, ProgressLike
from ...interferograms.facts import (
    detect_coherence_encoding,
    detect_phase_encoding,
    grid_mismatch,
    read_raster_facts,
)
from ...labels.classes import CLASS_CODES
from ..processes import group_labels, read_label_dir
from .config import SPLITS, ExportConfig, ExportResult, PathLike
from .manifest import MANIFEST
from .pixels import _Layer, _same_grid, terrain_range
from .plan import _Chip, _plan_interferogram
from .splits import _assign_splits, _pick_negatives
from .writers import _Writer

MARKER = ".mirage-export"  # tells a folder this module may clear from one it must not touch


def _overlaps(facts, ref) -> bool:
    """Whether a raster covers any of ``ref``'s ground (compared in ``ref``'s CRS)."""
    try:
        b = (base_crs.convert_bounds(facts.bounds, facts.crs_wkt, ref.crs_wkt)
             if facts.crs_wkt and ref.crs_wkt else facts.bounds)
    except base_crs.CrsError:  # a CRS PROJ cannot convert: no overlap to trust
        return False
    r = ref.bounds
    return b[0] < r[2] and b[2] > r[0] and b[1] < r[3] and b[3] > r[1]


GENERATED = ("images", "labels", "annotations", MANIFEST, "dataset.yaml", MARKER)


def _check_target(out: Path) -> None:
    """An absent or empty folder, or a previous export (marker file) whose outputs are
    replaced; any other non-empty folder is refused rather than mixed with."""
    if out.exists() and not out.is_dir():
        raise OutputError.at(out, "exists and is a file, not a folder")
    kept = [p for p in out.iterdir() if not p.name.startswith(".mirage-export-old-")] \
        if out.is_dir() else []
    if kept and not (out / MARKER).exists():
        raise OutputError.at(out, "folder not empty and not a previous export",
                             "choose an empty folder")


def _prepare(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by MIRAGE Labeller's training export; the folder's "
                              "images/, labels/, annotations/ are replaced on the next export\n",
                              encoding="utf-8")


def _swap_in(written: Path, out: Path) -> None:
    """The new export takes the place of the previous one in ``out``: only what an export
    writes (images/, labels/, annotations/, the manifest, dataset.yaml, the marker) is moved
    aside and replaced - anything else the user keeps there (a model's runs/) stays. A
    failure on the way puts the old entries back; a kill leaves them in a hidden
    ``.mirage-export-old-*`` folder that the next export removes."""
    if not out.exists():
        os.replace(written, out)
        return
    for stale in out.glob(".mirage-export-old-*"):  # a killed swap's leftovers
        shutil.rmtree(stale, ignore_errors=True)
    old = out / f".mirage-export-old-{uuid.uuid4().hex[:8]}"
    old.mkdir()
    moved_aside, moved_in = [], []
    try:
        for name in GENERATED:
            if (out / name).exists() or (out / name).is_symlink():
                os.replace(out / name, old / name)
                moved_aside.append(name)
        for item in sorted(written.iterdir()):
            os.replace(item, out / item.name)
            moved_in.append(item.name)
    except OSError:
        for name in moved_in:
            with contextlib.suppress(OSError):
                os.replace(out / name, written / name)
        for name in moved_aside:
            with contextlib.suppress(OSError):
                os.replace(old / name, out / name)
        raise
    shutil.rmtree(old, ignore_errors=True)
    with contextlib.suppress(OSError):
        written.rmdir()


def export_training_set(label_dir: PathLike, ifg_dir: PathLike, out_dir: PathLike,
                        config: Optional[ExportConfig] = None, progress: ProgressLike = None,
                        is_cancelled: Callable[[], bool] = lambda: False) -> ExportResult:
    """Chips, boxes, splits and manifest of every interferogram of the workspace ``ifg_dir``
    with the labels of ``label_dir`` (matched by label stem) into ``out_dir``: written
    beside it and swapped in at the end, so an export is complete or absent (a previous one
    stays until the new one is whole); nothing to write is an InputError, not an empty
    folder."""
    from ...interferograms.workspace import open_workspace

    config = config or ExportConfig()
    config.validate()
    report = progress or (lambda f, m: None)
    out = Path(out_dir)
    _check_target(out)
    ws = open_workspace(ifg_dir)
    if not ws.interferograms:
        raise ValueError(f"{ifg_dir}: no interferogram found")
    terrain_path = None
    if config.recipe == "phase_coh_terrain":
        layers = dict(ws.terrain_layers)
        if ws.dem is not None:
            layers.setdefault("dem", ws.dem)
        terrain_path = layers.get(config.terrain_layer)
        if terrain_path is None:
            found = ", ".join(sorted(layers)) or "none"
            raise ValueError(f"terrain layer {config.terrain_layer!r} not found in the "
                             f"workspace's dem/ folder (found: {found}); derive it first")
    table = read_label_dir(label_dir, lambda f, m: report(0.1 * f, m), is_cancelled,
                           strict=True)
    problems = list(ws.skipped) + list(table.warnings)
    processes = group_labels(table, config.min_overlap, config.max_area_ratio)
    pids = [""] * len(table)
    for p in processes:
        for k in p.members:
            pids[int(k)] = p.pid
    by_stem: Dict[str, List[int]] = defaultdict(list)
    for k, stem in enumerate(table.stem):
        by_stem[stem].append(k)
    known = {item.label_stem for item in ws.interferograms}
    for stem in sorted(set(by_stem) - known):
        problems.append(f"{stem}: {len(by_stem[stem])} label(s) without an interferogram in "
                        f"{ifg_dir}; skipped")

    # plan: boxes of every grid chip (headers only, no pixels)
    positives: List[_Chip] = []
    candidates: List[_Chip] = []
    dropped = partial = 0
    usable: Dict[int, Tuple[object, object]] = {}
    n_items = len(ws.interferograms)
    for k, item in enumerate(ws.interferograms):
        if is_cancelled():
            raise Cancelled()
        report(0.1 + 0.1 * k / n_items, f"planning {item.path.name}")
        try:
            phase_facts = read_raster_facts(str(item.path), 256)
            phase_enc = detect_phase_encoding(phase_facts)
            coh_facts = (read_raster_facts(str(item.coherence), 256)
                         if item.coherence is not None else None)
            coh_enc = detect_coherence_encoding(coh_facts) if coh_facts else None
        except Exception as exc:  # noqa: BLE001 - one unreadable file is a problem, not a stop
            problems.append(f"{item.path.name}: {exc}; skipped")
            continue
        problems += list(phase_enc.messages) + (list(coh_enc.messages) if coh_enc else [])
        off_grid = grid_mismatch(coh_facts, phase_facts) if coh_facts else None
        why = (list(phase_enc.problems) if phase_enc.problems
               else ["no coherence map with the same dates"] if coh_enc is None
               else list(coh_enc.problems) or ([off_grid] if off_grid and
                                               not _overlaps(coh_facts, phase_facts) else []))
        if off_grid and not why:
            problems.append(Msg("{problem}; resampled onto the interferogram's grid",
                                problem=off_grid))
        if why:
            problems.append(f"{item.path.name}: {why[0]}; skipped")
            continue
        usable[k] = (phase_enc, coh_enc)
        chips, n_dropped = _plan_interferogram(k, item, by_stem.get(item.label_stem, []),
                                               table, config, problems)
        dropped += n_dropped
        for key in sorted(chips):
            chip = chips[key]
            if chip.boxes:
                positives.append(chip)
            elif chip.fragments:
                partial += 1
            else:
                candidates.append(chip)
    n_groups = _assign_splits(positives, pids, config)
    negatives = _pick_negatives(candidates, config)
    chosen = sorted(positives + negatives, key=lambda c: (c.item, c.row_off, c.col_off))
    if not positives:
        raise InputError.at(label_dir, "nothing to export: no chip holds a label box" + (
            f" ({'; '.join(str(p) for p in problems[:3])})" if problems else ""),
            "check that the labels belong to these interferograms")

    # write beside, then swap in: one interferogram (and its coherence) open at a time
    files = OutputFiles()
    tmp = files.temp(out, folder=True)
    try:
        paths, writer = _write_chips(tmp, ws, chosen, usable, config, table, pids, terrain_path,
                                     report, is_cancelled)
        _swap_in(tmp, out)
    except Cancelled:  # nothing written, nothing said
        files.discard()
        raise
    except OSError as exc:
        files.discard()
        raise from_os_error(exc, out, "writing the export", OutputError) from None
    except BaseException:
        files.discard()
        raise
    paths = {k: out / Path(v).relative_to(tmp) for k, v in paths.items()}
    report(1.0, f"{len(writer.rows)} chips written")
    return _result(out, paths, writer, chosen, (dropped, partial, n_groups), len(table), config,
                   problems)


def _write_chips(out: Path, ws, chosen, usable, config, table, pids, terrain_path, report,
                 is_cancelled):
    import rasterio

    _prepare(out)
    writer = _Writer(out, config, table, pids)
    terrain_lohi = (terrain_range(terrain_path, config.terrain_layer) if terrain_path
                    else (0.0, 1.0))
    by_item: Dict[int, List[_Chip]] = defaultdict(list)
    for chip in chosen:
        by_item[chip.item].append(chip)
    terrain_src = rasterio.open(str(terrain_path)) if terrain_path else None
    try:
        for n, k in enumerate(sorted(by_item)):
            if is_cancelled():
                raise Cancelled()
            item = ws.interferograms[k]
            report(0.2 + 0.8 * n / len(by_item), f"cutting {item.path.name}")
            phase_enc, coh_enc = usable[k]
            with rasterio.open(str(item.path)) as src, \
                    rasterio.open(str(item.coherence)) as coh_src:
                coh = _Layer(coh_src, coh_enc, _same_grid(coh_src, src))
                terrain = (_Layer(terrain_src, None, _same_grid(terrain_src, src))
                           if terrain_src is not None else None)
                for chip in by_item[k]:
                    writer.chip(item, src, phase_enc, coh, terrain, terrain_lohi, chip)
    finally:
        if terrain_src is not None:
            terrain_src.close()
    return writer.finish(), writer


def _result(out: Path, paths: Dict[str, Path], writer: _Writer, chosen: List[_Chip],
            planned: Tuple[int, int, int], n_labels: int, config: ExportConfig,
            problems: List[str]) -> ExportResult:
    rows = writer.rows
    dropped, partial, n_groups = planned
    per_split = {s: {"chips": 0, "boxes": 0, "negatives": 0, "processes": 0} for s in SPLITS}
    class_counts: Dict[str, Dict[str, int]] = {s: {} for s in SPLITS}
    split_pids: Dict[str, set] = {s: set() for s in SPLITS}
    for r in rows:
        c = per_split[r.split]
        c["chips"] += 1
        c["boxes"] += r.n_boxes
        c["negatives"] += r.n_boxes == 0
        split_pids[r.split].update(r.processes)
    for chip in chosen:
        counts = class_counts[chip.split]
        for b in chip.boxes:
            counts[CLASS_CODES[b.cls]] = counts.get(CLASS_CODES[b.cls], 0) + 1
    for s, share in zip(SPLITS, config.split):
        per_split[s]["processes"] = len(split_pids[s])
        if share > 0 and per_split[s]["boxes"] == 0:
            problems.append(f"split {s} has no box: {n_groups} group(s) of processes sharing "
                            "chips, too few for the shares asked (smaller chips help)")
    return ExportResult(
        out_dir=out, manifest=paths["manifest"], dataset_yaml=paths.get("dataset_yaml"),
        annotations={s: paths[s] for s in SPLITS if s in paths},
        chips=len(rows), boxes=sum(r.n_boxes for r in rows),
        negatives=sum(r.n_boxes == 0 for r in rows), dropped_boxes=dropped,
        partial_chips=partial, blank_chips=writer.blank, labels=n_labels,
        labels_exported=len({(r.stem, i) for r in rows for i in r.label_ids}),
        processes=len(set().union(*split_pids.values())), groups=n_groups, per_split=per_split,
        class_counts=class_counts, problems=problems)
