"""The step-2 terrain check of a workspace's labels, without the dock: the command line and
Processing pick the interferogram and the boxes (one label, every label of a class, or a box
given by its corners) and get the same comparison and warnings as the dock's panel."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

from ..base.messages import Msg
from ..interferograms.facts import grid_mismatch, label_crs_for, read_raster_facts
from ..interferograms.workspace import (
    VECTOR_EXTENSIONS,
    Workspace,
    WorkspaceInterferogram,
    open_workspace,
)
from ..labels.store import LabelFileError, LabelStore
from .check import TerrainCheck, check_terrain
from .morphometry import LAYERS

CHECKED_LAYERS = tuple(name for name in LAYERS if name != "hillshade")  # hillshade: a picture


def find_interferogram(ws: Workspace, key: str) -> WorkspaceInterferogram:
    """By IFG (``20190805_20190817``), label stem or file name; ambiguous IFGs (two tracks)
    must be named by stem or file."""
    by_name = [it for it in ws.interferograms if key in (it.label_stem, it.path.name,
                                                          it.path.stem)]
    if by_name:
        return by_name[0]
    by_ifg = [it for it in ws.interferograms if it.meta.ifg == key]
    if len(by_ifg) == 1:
        return by_ifg[0]
    if by_ifg:
        names = ", ".join(it.label_stem for it in by_ifg)
        raise ValueError(f"{key}: several interferograms have this IFG ({names}); name one")
    raise ValueError(f"{key}: no such interferogram in {ws.root}")


def workspace_inventories(root: Union[str, Path]) -> Dict[str, str]:
    folder = Path(root) / "inventories"
    if not folder.is_dir():
        return {}
    return {p.stem: str(p) for p in sorted(folder.iterdir())
            if p.suffix.lower() in VECTOR_EXTENSIONS and p.is_file()}


def check_workspace_box(root: Union[str, Path], interferogram: str,
                        label_ids: Sequence[int] = (), cls: Optional[str] = None,
                        box: Optional[Tuple[float, float, float, float]] = None,
                        threshold: float = 0.2, seed: int = 0
                        ) -> Tuple[TerrainCheck, WorkspaceInterferogram, List[str]]:
    """(check, interferogram, notes). Boxes: ``box`` (in the labels' CRS), else the labels
    with ``label_ids``, else every label of class ``cls``."""
    ws = open_workspace(root)
    item = find_interferogram(ws, interferogram)
    layers = {n: str(ws.terrain_layers[n]) for n in CHECKED_LAYERS if n in ws.terrain_layers}
    if not layers:
        where = ws.dem or Path(ws.root) / "dem" / "dem.tif"
        raise ValueError(f"{ws.root}: no terrain layers; derive them first "
                         f"(python -m mirage_labeller morphometry {where} {Path(where).parent})")
    store = LabelStore(ws.label_dir)
    notes: List[str] = []
    label_boxes = []
    for stem in store.stems():  # outside means outside every label of the workspace
        try:
            label_boxes += [lab.bounds for lab in store.read(stem).labels]
        except LabelFileError as exc:
            notes.append(f"labels not excluded from the outside sample: {exc}")
    own = store.read(item.label_stem)
    notes += own.warnings
    coherence = str(item.coherence) if item.coherence else None
    if coherence:
        from ..interferograms.facts import detect_coherence_encoding

        coh_facts = read_raster_facts(coherence, 64)
        notes += detect_coherence_encoding(coh_facts).messages
        why = grid_mismatch(coh_facts, read_raster_facts(str(item.path), 64))
        if why:
            notes.append(Msg("coherence not used: {problem}", problem=why))
            coherence = None
    if box is not None:
        boxes = [tuple(float(v) for v in box)]
        x0, y0, x1, y1 = boxes[0]
        if not (x1 > x0 and y1 > y0):
            raise ValueError(f"box {box}: give xmin ymin xmax ymax with xmax > xmin, ymax > ymin")
    elif label_ids:
        by_id = own.by_id()
        missing = [i for i in label_ids if i not in by_id]
        if missing:
            raise ValueError(f"{own.path}: no label with Id {', '.join(map(str, missing))}")
        boxes = [by_id[i].bounds for i in label_ids]
    elif cls:
        boxes = [lab.bounds for lab in own.labels if lab.cls == cls]
        if not boxes:
            raise ValueError(f"{own.path}: no label of class {cls}")
    else:
        raise ValueError("say which box: a label Id, a class or a box")
    if own.labels:
        boxes_crs = f"EPSG:{own.epsg}" if own.epsg else own.crs_wkt
    else:  # no label file yet: the CRS labels of this interferogram will be written in
        choice = label_crs_for(read_raster_facts(str(item.path), 64))
        boxes_crs = f"EPSG:{choice.epsg}" if choice.epsg else choice.wkt
    check = check_terrain(boxes, layers, label_boxes, item.meta.traj, coherence, threshold,
                          workspace_inventories(ws.root), seed, boxes_crs=boxes_crs)
    return check, item, notes
