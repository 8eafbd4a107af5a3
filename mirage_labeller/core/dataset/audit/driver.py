"""The audit of a label folder (``audit_label_dir``): every check of the package on every
label file, and with the interferograms, the rasters too; ``checksums``, what "nothing was
written" is checked against.

Read-only by construction (see the package's docstring). One damaged record or file becomes a
finding (``audit.failed``), never a traceback, and the checks of the others go on.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Dict, Optional, Union

from ...base.messages import Msg
from ...base.progress import Cancelled, ProgressLike
from .duplicates import _check_duplicates
from .files import RawLabel, _FileAudit, _label_crs
from .findings import ERROR, WARNING, AuditReport, Finding, _short
from .geometry import _check_geometry
from .rasters import _raster_checks, raster_damage
from .values import _check_values, _region_of


def audit_label_dir(label_dir: Union[str, Path], ifg_dir: Optional[Union[str, Path]] = None,
                    threshold: float = 0.2, progress: ProgressLike = None,
                    is_cancelled: Callable[[], bool] = lambda: False) -> AuditReport:
    """Every finding for the label files of ``label_dir``; with ``ifg_dir`` (a workspace or
    a folder of interferograms) also IFG/Traj against the interferogram each file belongs to,
    footprint, nodata and coherence."""
    report_progress = progress or (lambda f, m: None)
    label_dir = Path(label_dir)
    if not label_dir.is_dir():
        raise FileNotFoundError(f"{label_dir}: no such folder")
    report = AuditReport(str(label_dir))
    items = {}
    if ifg_dir is not None:
        from ...interferograms.workspace import open_workspace

        ws = open_workspace(ifg_dir)
        for problem in ws.problems:
            report.findings.append(Finding(WARNING, "", None, "raster.problem", problem))
        for it in ws.interferograms:
            for raster in filter(None, (it.path, it.coherence)):
                try:
                    damage = raster_damage(raster)
                except Exception as exc:  # noqa: BLE001
                    damage = f"{raster.name}: cannot be checked ({_short(exc)})"
                if damage:
                    report.findings.append(Finding(ERROR, raster.name, None, "raster.damaged",
                                                   damage))
        items = {it.label_stem: it for it in ws.interferograms}
        for it in ws.interferograms:  # stems are also matched by the raster's own file stem
            items.setdefault(it.path.stem, it)
    shapefiles = sorted(p for p in label_dir.iterdir()
                        if p.suffix.lower() == ".shp" and p.is_file())
    orphans = sorted({p.stem for p in label_dir.iterdir() if p.is_file() and p.suffix.lower()
                      in (".dbf", ".shx", ".prj", ".cpg")} - {p.stem for p in shapefiles})
    for stem in orphans:
        report.findings.append(Finding(ERROR, f"{stem}.shp", None, "schema.missing_file",
                                       f"{stem}.shp is missing (its .dbf/.shx/.prj are there)"))
    for k, shp in enumerate(shapefiles):
        if is_cancelled():
            raise Cancelled()
        report_progress(k / max(len(shapefiles), 1), f"auditing {shp.name}")
        report.files += 1
        first = len(report.findings)
        fa = _FileAudit(shp, report)
        records, mapping = fa.read()
        report.labels += len(records)
        label_crs = _label_crs(shp)
        for raw in records:
            _guarded(fa, raw, _check_geometry, fa, raw)
        region = _region_of(records, label_crs)
        item = items.get(shp.stem)
        if ifg_dir is not None and item is None:
            fa.add(WARNING, "value.no_interferogram", Msg("{name}: no interferogram named "
                                                          "{stem} in {ifg_dir}; IFG, Traj "
                                                          "and footprint not checked",
                                                          name=shp.name, stem=shp.stem,
                                                          ifg_dir=ifg_dir))
        for raw in records:
            _guarded(fa, raw, _check_values, fa, raw, mapping, region,
                     item.meta if item is not None else None)
        try:
            _check_duplicates(fa, records)
        except Exception as exc:  # noqa: BLE001 - a finding, never a traceback
            fa.add(ERROR, "audit.failed", Msg("{name}: duplicates not checked ({why})",
                                              name=shp.name, why=_short(exc)))
        if item is not None:
            _raster_checks(fa, records, item, label_crs, threshold)
        crs_text = _crs_text(label_crs)
        for f in report.findings[first:]:  # boxes carry the CRS of the file they come from
            f.crs = crs_text
    report_progress(1.0, "done")
    return report


def _crs_text(label_crs) -> Optional[str]:
    from ...base import crs as crsmod

    try:
        return crsmod.text(label_crs)
    except crsmod.CrsError:
        return None


def _guarded(fa: "_FileAudit", raw: RawLabel, check, *args) -> None:
    """One label's check; whatever a damaged record makes it raise becomes a finding."""
    try:
        check(*args)
    except Exception as exc:  # noqa: BLE001
        fa.add(ERROR, "audit.failed", Msg("{name}: label {label_id} (record {index}) could "
                                          "not be checked ({why})",
                                          name=fa.name, label_id=raw.label_id, index=raw.index,
                                          why=_short(exc)), raw.label_id)


def checksums(folder: Union[str, Path]) -> Dict[str, str]:
    """Mode and sha256 of every file and folder below ``folder``: what "nothing was written"
    is checked against (a lock folder or a changed permission counts too)."""
    import hashlib

    root = Path(folder)
    out = {}
    for p in sorted(root.rglob("*")):  # every file and folder below, with its mode
        rel = p.relative_to(root).as_posix()
        mode = p.stat().st_mode
        out[rel] = (f"{mode:o}:" + hashlib.sha256(p.read_bytes()).hexdigest()) if p.is_file() \
            else f"{mode:o}:dir"
    return out
