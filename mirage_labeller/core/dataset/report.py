"""What is in a label set, as the paper's Technical Validation shows it: Table 2, Fig. 3
(baselines per class), track geometry and quality, Fig. 7 (terrain inside labels against
outside), Fig. 8 (frequency-area distribution with a power-law fit) and the processes.

One self-contained HTML file (figures embedded as PNG) plus a CSV per table beside it. The
labels are only read (no lock, no recovery), so a published dataset can be reported on.
"""
from __future__ import annotations

import base64
import csv
import html
import io
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from ..base import crs as crsmod
from ..base.errors import InputError, MirageError
from ..base.messages import Msg
from ..base.outputs import OutputFiles
from ..base.progress import Cancelled, ProgressLike
from ..interferograms.facts import RasterReadError, read_raster_facts
from ..labels.classes import ALPS, APENNINES, CLASS_CODES, CLASSES, region_of_point
from .powerlaw import fit_power_law, log_binned_density
from .processes import LabelTable, group_labels, read_label_dir

OTHER = "other"
REGIONS = (ALPS, APENNINES, OTHER)
TERRAIN_ORDER = ("slope", "tri", "aspect", "profile_curvature", "plan_curvature", "twi")
MIN_FOR_TERRAIN = 3


@dataclass
class ReportResult:
    html: Path
    csvs: Dict[str, Path] = field(default_factory=dict)
    figures: List[str] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)  # what reading the label files assumed


# ---------------------------------------------------------------- tables

def label_regions(table: LabelTable) -> List[str]:
    if len(table) == 0:
        return []
    b = table.bounds
    xs, ys = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    try:
        lon, lat = crsmod.convert_points(xs.tolist(), ys.tolist(), table.crs, 4326)
    except crsmod.CrsError:  # labels without a CRS: no region can be told
        return [OTHER] * len(table)
    return [region_of_point(x, y) or OTHER for x, y in zip(lon, lat)]


def table2(table: LabelTable, regions: Sequence[str]) -> List[dict]:
    """Per region (and all) and class: N, % of the region's labels, mean area (each label
    measured in its own file's CRS), main Bt."""
    area_km2 = table.areas_m2() / 1e6
    rows = []
    for region in [r for r in REGIONS if r in regions] + ["all"]:
        idx = [k for k in range(len(table)) if region == "all" or regions[k] == region]
        total = len(idx)
        for code in CLASS_CODES:
            members = [k for k in idx if table.cls[k] == code]
            if not members:
                continue
            bts = Counter(int(table.bt[k]) for k in members)
            main_bt = max(bts.items(), key=lambda kv: (kv[1], -kv[0]))[0]
            rows.append({"region": region, "class": code, "name": CLASSES[code].name,
                         "n_labels": len(members), "percent": 100.0 * len(members) / total,
                         "mean_area_km2": float(area_km2[members].mean()),
                         "main_baseline_days": main_bt})
        rows.append({"region": region, "class": "total", "name": "", "n_labels": total,
                     "percent": 100.0 if total else 0.0,
                     "mean_area_km2": float(area_km2[idx].mean()) if idx else float("nan"),
                     "main_baseline_days": ""})
    return rows


def baseline_shares(table: LabelTable) -> Tuple[List[int], Dict[str, List[float]], List[dict]]:
    """(baselines, class -> share of its labels per baseline, CSV rows): Fig. 3."""
    baselines = sorted({int(b) for b in table.bt})
    shares, rows = {}, []
    for code in CLASS_CODES:
        members = [int(table.bt[k]) for k in range(len(table)) if table.cls[k] == code]
        if not members:
            continue
        counts = Counter(members)
        shares[code] = [counts[b] / len(members) for b in baselines]
        for b in baselines:
            rows.append({"class": code, "baseline_days": b, "n_labels": counts[b],
                         "share": counts[b] / len(members)})
    return baselines, shares, rows


def tracks_and_quality(table: LabelTable) -> List[dict]:
    rows = []
    for code in list(CLASS_CODES) + ["all"]:
        idx = [k for k in range(len(table)) if code == "all" or table.cls[k] == code]
        if not idx:
            continue
        n = len(idx)
        rows.append({
            "class": code, "n_labels": n,
            "ascending": sum(table.traj[k] == "A" for k in idx) / n,
            "descending": sum(table.traj[k] == "D" for k in idx) / n,
            "sign_qual_1": sum(table.sign_qual[k] == 1 for k in idx) / n,
            "sign_qual_2": sum(table.sign_qual[k] == 2 for k in idx) / n,
            "class_unc_1": sum(table.class_unc[k] == 1 for k in idx) / n,
            "class_unc_2": sum(table.class_unc[k] == 2 for k in idx) / n})
    return rows


# ---------------------------------------------------------------- figures

def _figure(width, height):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), constrained_layout=True)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def fig_baselines(baselines, shares) -> bytes:
    fig = _figure(7.5, 0.45 * max(len(shares), 2) + 1.2)
    ax = fig.add_subplot(111)
    codes = list(shares)
    left = np.zeros(len(codes))
    import matplotlib

    cmap = matplotlib.colormaps.get_cmap("viridis")
    for i, b in enumerate(baselines):
        values = np.array([shares[c][i] for c in codes])
        ax.barh(codes, values, left=left, color=cmap(i / max(len(baselines) - 1, 1)),
                label=f"{b} d")
        left += values
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("share of the class's labels")
    ax.legend(title="Bt", fontsize=7, title_fontsize=7, ncol=min(len(baselines), 6),
              loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return _png(fig)


def fig_tracks_quality(rows) -> bytes:
    rows = [r for r in rows if r["class"] != "all"]
    fig = _figure(7.5, 2.6)
    axes = fig.subplots(1, 3, sharey=True)
    codes = [r["class"] for r in rows]
    for ax, (a, b, title) in zip(axes, (("ascending", "descending", "track"),
                                        ("sign_qual_1", "sign_qual_2", "Sign_Qual"),
                                        ("class_unc_1", "class_unc_2", "Class_Unc"))):
        first = np.array([r[a] for r in rows])
        ax.barh(codes, first, color="#2b8cbe", label=a.replace("_", " "))
        ax.barh(codes, 1 - first, left=first, color="#fdae61", label=b.replace("_", " "))
        ax.set_xlim(0, 1)
        ax.set_title(title, fontsize=9)
        ax.legend(fontsize=6, loc="lower right")
    axes[0].invert_yaxis()
    return _png(fig)


def fig_terrain(per_class: Dict[str, object]) -> bytes:
    classes = list(per_class)
    layers = [n for n in TERRAIN_ORDER if any(c.comparison(n) for c in per_class.values())]
    fig = _figure(1.9 * max(len(layers), 1) + 0.6, 1.35 * max(len(classes), 1) + 0.5)
    axes = fig.subplots(max(len(classes), 1), max(len(layers), 1), squeeze=False)
    for i, code in enumerate(classes):
        for j, name in enumerate(layers):
            ax = axes[i, j]
            comp = per_class[code].comparison(name)
            if comp is None or comp.inside.size == 0:
                ax.set_visible(False)
                continue
            both = np.concatenate([comp.inside, comp.outside])
            lo, hi = (0.0, 360.0) if comp.circular else np.percentile(both, [1, 99])
            bins = np.linspace(lo, hi if hi > lo else lo + 1, 20)
            ax.hist(comp.outside, bins=bins, density=True, color="#9e9e9e", alpha=0.7)
            ax.hist(comp.inside, bins=bins, density=True, histtype="step", lw=1.5,
                    color=CLASSES[code].colour)
            ax.set_yticks([])
            ax.tick_params(labelsize=6)
            ax.set_title(f"{code} {name.replace('_', ' ')} D={comp.ks_d:.2f}", fontsize=7)
    return _png(fig)


def fig_frequency_area(areas: Dict[str, np.ndarray], fits: Dict[str, object]) -> bytes:
    fig = _figure(6.5, 4.2)
    ax = fig.add_subplot(111)
    for code, a in areas.items():
        x, d = log_binned_density(a)
        if x.size == 0:
            continue
        ax.loglog(x, d, "o", ms=4, color=CLASSES[code].colour, label=code)
        fit = fits.get(code)
        if fit is not None:
            xs = np.logspace(math.log10(fit.x_min), math.log10(a.max()), 30)
            tail_share = fit.n_tail / fit.n
            ys = tail_share * (fit.beta - 1) / fit.x_min * (xs / fit.x_min) ** (-fit.beta)
            ax.loglog(xs, ys, "-", color=CLASSES[code].colour, lw=1,
                      label=f"{code} β={fit.beta:.2f}±{fit.sigma:.2f}")
    ax.set_xlabel("label area (km²)")
    ax.set_ylabel("probability density (1/km²)")
    ax.legend(fontsize=7, ncol=2)
    return _png(fig)


def fig_processes(counts: Sequence[int]) -> bytes:
    fig = _figure(5.5, 2.6)
    ax = fig.add_subplot(111)
    if counts:
        ax.hist(counts, bins=np.arange(1, max(counts) + 2) - 0.5, color="#3182bd")
    ax.set_xlabel("labels per process")
    ax.set_ylabel("processes")
    return _png(fig)


# ---------------------------------------------------------------- the report

CSV_TABLES = ("table2", "baselines", "tracks_quality", "terrain", "powerlaw", "processes")


def _csv(out_html: Path, name: str) -> Path:
    return out_html.with_name(f"{out_html.stem}_{name}.csv")


def output_paths(out_html: Union[str, Path]) -> List[Path]:
    """Every file a report writes: the HTML and its CSVs beside it."""
    return [Path(out_html)] + [_csv(Path(out_html), name) for name in CSV_TABLES]


def _write_csv(files: OutputFiles, path: Path, rows: List[dict]) -> Path:
    with open(files.temp(path), "w", newline="", encoding="utf-8") as fh:
        if rows:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            for r in rows:
                writer.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v)
                                 for k, v in r.items()})
    return path


def _html_table(rows: List[dict], columns: Sequence[str], formats: Dict[str, str] = None) -> str:
    formats = formats or {}
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c, "")
            numeric = isinstance(v, (int, float, np.integer, np.floating))
            if isinstance(v, float):
                v = format(v, formats.get(c, ".3g")) if math.isfinite(v) else "–"
            cells.append(f"<td class='{'num' if numeric else 'txt'}'>{html.escape(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _img(png: bytes, alt: str) -> str:
    return (f'<img alt="{html.escape(alt)}" src="data:image/png;base64,'
            f'{base64.b64encode(png).decode("ascii")}">')


def build_report(label_dir: Union[str, Path], out_html: Union[str, Path],
                 ifg_dir: Optional[Union[str, Path]] = None,
                 morphometry_dir: Optional[Union[str, Path]] = None,
                 progress: ProgressLike = None,
                 is_cancelled: Callable[[], bool] = lambda: False) -> ReportResult:
    """The HTML report and its CSVs, written beside and moved in together at the end (a
    failure half-way leaves none of them); an unreadable terrain layer is left out of Fig. 7
    with a note."""
    with OutputFiles() as files:
        return _build_report(files, label_dir, out_html, ifg_dir, morphometry_dir, progress,
                             is_cancelled)


def _build_report(files: OutputFiles, label_dir, out_html, ifg_dir, morphometry_dir, progress,
                  is_cancelled) -> ReportResult:
    report = progress or (lambda f, m: None)
    out_html = Path(out_html)
    result = ReportResult(out_html)
    report(0.02, "reading labels")
    # read only (a report never finishes an interrupted save), areas in each file's own CRS
    table = read_label_dir(label_dir, strict=True, read_only=True)
    result.warnings += [w for w in table.warnings if ", converted to " not in w]
    result.problems += [w for w in table.warnings if ", converted to " in w]
    if not len(table):
        raise InputError.at(label_dir, "no labels to report on")
    regions = label_regions(table)
    sections = []
    t2 = table2(table, regions)
    result.csvs["table2"] = _write_csv(files, _csv(out_html, "table2"), t2)
    n_ifg = len({(table.ifg[k], table.traj[k]) for k in range(len(table))})
    region_counts = Counter(regions)
    sections.append(("Overview", f"<p>{len(table)} labels in {len(set(table.stem))} files "
                     f"({n_ifg} interferograms); " + ", ".join(
                         f"{n} in the {r}" for r, n in region_counts.items()) + ".</p>"))
    t2_html = ""
    present = [r for r in REGIONS if r in regions]
    for region in present + (["all"] if len(present) > 1 else []):
        part = [r for r in t2 if r["region"] == region]
        t2_html += f"<h3>{html.escape(region)}</h3>" + _html_table(
            part, ["class", "name", "n_labels", "percent", "mean_area_km2",
                   "main_baseline_days"], {"percent": ".1f", "mean_area_km2": ".3f"})
    sections.append(("Table 2: labels per class", t2_html))
    if is_cancelled():
        raise Cancelled()

    report(0.15, "baselines")
    baselines, shares, brows = baseline_shares(table)
    result.csvs["baselines"] = _write_csv(files, _csv(out_html, "baselines"), brows)
    sections.append(("Fig. 3: temporal baselines per class",
                     _img(fig_baselines(baselines, shares), "baselines per class")))
    result.figures.append("baselines")

    tq = tracks_and_quality(table)
    result.csvs["tracks_quality"] = _write_csv(files, _csv(out_html, "tracks_quality"), tq)
    sections.append(("Track geometry and quality", _img(fig_tracks_quality(tq), "tracks") +
                     _html_table(tq, ["class", "n_labels", "ascending", "descending",
                                      "sign_qual_1", "sign_qual_2", "class_unc_1",
                                      "class_unc_2"], {k: ".0%" for k in (
                                          "ascending", "descending", "sign_qual_1",
                                          "sign_qual_2", "class_unc_1", "class_unc_2")})))
    result.figures.append("tracks_quality")
    if is_cancelled():
        raise Cancelled()

    report(0.3, "terrain")
    layers = _terrain_layers(ifg_dir, morphometry_dir)
    for name, path in list(layers.items()):
        try:
            read_raster_facts(path, sample_size=64)
        except RasterReadError as exc:
            result.problems.append(Msg("{problem}; the layer {name} is left out of Fig. 7",
                                       problem=exc.message, name=name))
            del layers[name]
    if layers:
        from ..terrain.check import check_terrain

        every_box = [tuple(b) for b in table.bounds]
        per_class, trows = {}, []
        for code in CLASS_CODES:
            boxes = [tuple(table.bounds[k]) for k in range(len(table)) if table.cls[k] == code]
            if len(boxes) < MIN_FOR_TERRAIN:
                continue
            try:
                check = check_terrain(boxes, layers, every_box, seed=CLASS_CODES.index(code),
                                      boxes_crs=table.crs)
            except MirageError as exc:
                result.problems.append(Msg("Fig. 7: {code} left out ({problem})", code=code,
                                           problem=exc.message))
                continue
            per_class[code] = check
            for comp in check.comparisons:
                trows.append({"class": code, "layer": comp.name, "n_inside": comp.inside.size,
                              "median_inside": comp.median_inside,
                              "median_outside": comp.median_outside, "ks_d": comp.ks_d,
                              "ks_p": comp.ks_p})
        result.csvs["terrain"] = _write_csv(files, _csv(out_html, "terrain"), trows)
        if per_class:
            sections.append(("Fig. 7: terrain inside labels (colour) against an equal random "
                             "sample outside every label (grey)",
                             _img(fig_terrain(per_class), "terrain") + _html_table(
                                 trows, ["class", "layer", "n_inside", "median_inside",
                                         "median_outside", "ks_d", "ks_p"])))
            result.figures.append("terrain")
    else:
        sections.append(("Fig. 7: terrain", "<p>No terrain layers: give --morphometry DIR (or a "
                         "workspace whose dem/ holds slope.tif, tri.tif …).</p>"))
    if is_cancelled():
        raise Cancelled()

    report(0.7, "frequency-area")
    area_km2 = table.areas_m2() / 1e6
    areas, fits, prow = {}, {}, []
    for code in CLASS_CODES:
        if code == "AR":
            continue  # artefacts are not landslides
        a = area_km2[[k for k in range(len(table)) if table.cls[k] == code]]
        if a.size == 0:
            continue
        areas[code] = a
        fit = fit_power_law(a)
        fits[code] = fit
        prow.append({"class": code, "n": int(a.size),
                     "beta": fit.beta if fit else float("nan"),
                     "sigma": fit.sigma if fit else float("nan"),
                     "x_min_km2": fit.x_min if fit else float("nan"),
                     "n_tail": fit.n_tail if fit else 0,
                     "ks_d": fit.ks if fit else float("nan")})
    result.csvs["powerlaw"] = _write_csv(files, _csv(out_html, "powerlaw"), prow)
    sections.append(("Fig. 8: frequency-area distribution and power-law fits (maximum "
                     "likelihood, x_min by the smallest Kolmogorov-Smirnov distance)",
                     _img(fig_frequency_area(areas, fits), "frequency-area") + _html_table(
                         prow, ["class", "n", "beta", "sigma", "x_min_km2", "n_tail",
                                "ks_d"], {"beta": ".2f", "sigma": ".2f"})))
    result.figures.append("frequency_area")

    report(0.85, "processes")
    processes = group_labels(table)
    per_process = [p.n_labels for p in processes]
    pregion = Counter(regions[int(p.members[0])] for p in processes)
    prows = [{"region": r, "processes": n} for r, n in pregion.items()]
    prows.append({"region": "all", "processes": len(processes)})
    result.csvs["processes"] = _write_csv(files, _csv(out_html, "processes"), prows)
    conflicts = sum(p.conflict for p in processes)
    sections.append(("Processes", f"<p>{len(processes)} mass-movement processes (labels of "
                     "different interferograms covering at least half of the smaller box); "
                     f"{np.mean(per_process):.1f} labels per process on average, "
                     f"{sum(n == 1 for n in per_process)} seen once, {conflicts} with a class "
                     "conflict.</p>" + _html_table(prows, ["region", "processes"]) +
                     _img(fig_processes(per_process), "labels per process")))
    result.figures.append("processes")

    body = "\n".join(f"<h2>{html.escape(title)}</h2>\n{content}" for title, content in sections)
    notes = "".join(f"<li>{html.escape(p)}</li>" for p in result.problems)
    files.temp(out_html).write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>MIRAGE dataset report</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; max-width: 1100px; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1em; }}
td, th {{ border: 1px solid #ccc; padding: 2px 7px; font-size: 88%; }}
td.num {{ text-align: right; }}
td.txt, th {{ text-align: left; }}
img {{ max-width: 100%; }}
</style></head><body>
<h1>MIRAGE dataset report: {html.escape(Path(label_dir).name)}</h1>
{body}
{"<h2>Files not read</h2><ul>" + notes + "</ul>" if notes else ""}
</body></html>
""", encoding="utf-8")
    report(1.0, "done")
    return result


def _terrain_layers(ifg_dir, morphometry_dir) -> Dict[str, str]:
    folder = None
    if morphometry_dir is not None:
        folder = Path(morphometry_dir)
    elif ifg_dir is not None and (Path(ifg_dir) / "dem").is_dir():
        folder = Path(ifg_dir) / "dem"
    if folder is None or not folder.is_dir():
        return {}
    return {name: str(folder / f"{name}.tif") for name in TERRAIN_ORDER
            if (folder / f"{name}.tif").is_file()}
