"""``python -m mirage_labeller``: the plugin's operations without QGIS.

Each subcommand parses its arguments, calls core/ and prints; errors are one readable line on
stderr and exit status 1 (2 for a bad command line), never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional, Tuple

from .core.labels.classes import ALPS, APENNINES
from .core.base.errors import MirageError, OutputError

_REGION_ALIASES = {"alps": ALPS, "apennines": APENNINES, "apennine": APENNINES}


class CliError(MirageError):
    """A failure to report as one line, without a traceback."""


def _output(path, inputs=(), protected=(), folder=False, suffixes=()) -> Path:
    """An output the command may write (core.outputs.check_output), checked before any work."""
    from .core.base.outputs import check_output

    return check_output(path, [i for i in inputs if i], [p for p in protected if p], folder,
                        suffixes)


def _notes(lines, limit: int = 20) -> None:
    """What the readers assumed or normalised, once each, on stderr (the first ``limit``)."""
    seen = list(dict.fromkeys(str(x) for x in lines))
    for line in seen[:limit]:
        print(f"note: {line}", file=sys.stderr)
    if len(seen) > limit:
        print(f"note: ... and {len(seen) - limit} more notes", file=sys.stderr)


_PNG, _CSV, _HTML, _GPKG = (".png",), (".csv",), (".html", ".htm"), (".gpkg",)


def _label_folder(given) -> Path:
    """The label folder of a workspace or the folder itself."""
    folder = Path(given)
    if (folder / "labels").is_dir() and not any(folder.glob("*.shp")):
        return folder / "labels"
    return folder


def _int_range(lo: int, hi: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be between {lo} and {hi}, got {value}")
        return value
    return parse


def _float_range(lo: float, hi: float):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be between {lo:g} and {hi:g}, got {value:g}")
        return value
    return parse


def _region(text: str) -> str:
    try:
        return _REGION_ALIASES[text.lower()]
    except KeyError:
        raise argparse.ArgumentTypeError("region must be 'alps' or 'apennines'") from None


_PROGRESS_LINE = {"open": False}  # a progress line waits for its end of line


def _progress_printer(args):
    """A one-line progress display on stderr, silent with --quiet."""
    def progress(fraction: float, message: str) -> None:
        if not getattr(args, "quiet", False):
            print(f"\r[{fraction:4.0%}] {message[:60]:<60}", end="", file=sys.stderr, flush=True)
            _PROGRESS_LINE["open"] = True
    return progress


def _end_progress() -> None:
    if _PROGRESS_LINE["open"]:
        print(file=sys.stderr)
        _PROGRESS_LINE["open"] = False


def cmd_synth(args) -> int:
    from .core.synthetic.generator import SynthConfig, build_workspace

    from .core.base.outputs import OutputFiles

    out = _output(args.outdir, folder=True)
    if out.exists() and any(out.iterdir()) and not args.force:
        raise CliError(f"{out}: folder is not empty (use --force to write into it)")
    if not 0.0 <= args.jitter <= 0.25:
        raise CliError(f"--jitter {args.jitter}: must be between 0 and 0.25")
    clean = args.clean
    files = OutputFiles()
    config = SynthConfig(out_dir=str(files.temp(out, folder=True)), seed=args.seed, region=args.region, size=args.size,
                         n_interferograms=args.interferograms, noise=not clean,
                         atmosphere=not clean, artefacts=not clean,
                         box_jitter=args.jitter, class_conflicts=args.conflicts)

    progress = _progress_printer(args)

    with files:  # written beside, moved in at the end: complete or absent
        truth = build_workspace(config, progress)
    _end_progress()
    n_labels = sum(r["n_labels"] for r in truth["interferograms"])
    print(f"{out}: {len(truth['interferograms'])} interferograms, {len(truth['bodies'])} "
          f"planted bodies, {n_labels} labels ({truth['region']}, seed {truth['seed']})")
    if truth["not_placed"]:
        print(f"note: {truth['not_placed']} of the bodies asked for found no room in "
              f"{args.size} x {args.size} pixels", file=sys.stderr)
    if args.quicklook:
        from .core.labels.store import LabelStore
        from .core.interferograms.quicklook import render_quicklook

        store = LabelStore(out / "labels")
        for rec in truth["interferograms"]:
            png = render_quicklook(out / rec["file"], out / "quicklook" / f"{rec['stem']}.png",
                                   out / rec["coherence"], store.read(rec["stem"]).labels,
                                   title=f"{rec['ifg']}  Bt={rec['bt']} d  Traj={rec['traj']}")
            print(f"quick-look: {png}")
    return 0


def cmd_inspect(args) -> int:
    from .core.interferograms.metadata import is_coherence_name, is_dem_name, parse_interferogram_path
    from .core.interferograms.facts import (RasterReadError, detect_coherence_encoding,
                                    detect_phase_encoding, label_crs_for, read_raster_facts)
    from .core.interferograms.workspace import RASTER_EXTENSIONS

    status = 0
    for target in args.paths:
        path = Path(target)
        if path.is_dir() and path.name.lower().endswith(RASTER_EXTENSIONS):
            print(f"! {path}: is a folder, not a raster file")
            status = 1
            continue
        if path.is_dir():
            status = max(status, _inspect_workspace(path))
            continue
        try:
            facts = read_raster_facts(str(path))
        except RasterReadError as exc:
            print(f"! {exc}")
            status = 1
            continue
        lon = facts.centre_lonlat[0] if facts.centre_lonlat else None
        meta = parse_interferogram_path(str(path), facts.tags, lon)
        print(facts.describe())
        if is_dem_name(path.name):
            print("  read as a DEM (by its name)")
            continue
        coherence = is_coherence_name(path.name)
        encoding = (detect_coherence_encoding if coherence else detect_phase_encoding)(facts)
        print(f"  {meta.describe()}  ({'; '.join(f'{k}: {v}' for k, v in meta.sources.items())})")
        print(f"  read as {encoding.kind}: {encoding.units}")
        print(f"  labels would be written in {label_crs_for(facts).reason}")
        for line in (*meta.problems, *meta.notes, *encoding.messages, *encoding.problems):
            print(f"  ! {line}")
        status = max(status, 1 if encoding.problems else 0)
    return status


def _inspect_workspace(path: Path) -> int:
    """A workspace's interferograms with their pairing and labels; every label file is read
    whole (a damaged one is named), every coherence map checked against its interferogram."""
    from .core.labels.store import LabelStore
    from .core.interferograms.facts import detect_coherence_encoding, grid_mismatch, read_raster_facts
    from .core.interferograms.workspace import open_workspace

    ws = open_workspace(path)
    store = LabelStore(ws.label_dir)
    status = 0
    print(f"workspace {ws.root}: {len(ws.interferograms)} interferograms, "
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
                status = 1
        if item.coherence is not None:
            try:
                coh = read_raster_facts(str(item.coherence), 64)
                why = (list(detect_coherence_encoding(coh).problems)
                       or [grid_mismatch(coh, read_raster_facts(str(item.path), 64))])
            except MirageError as exc:
                why = [str(exc)]
            problems += [w for w in why if w]
        coherence = item.coherence.name if item.coherence else "-"
        print(f"  {item.meta.describe()}  coherence={coherence}  labels={count}")
    for problem in dict.fromkeys(str(p) for p in problems):
        print(f"  ! {problem}")
    return status


def cmd_screen(args) -> int:
    from .core.interferograms.screening import build_overviews, screen_workspace, write_csv
    from .core.interferograms.workspace import open_workspace

    ws = open_workspace(args.ifgdir)
    if not ws.interferograms:
        raise CliError("; ".join(ws.problems) or f"{args.ifgdir}: no interferogram found")
    if args.csv:
        _output(args.csv, [p for it in ws.interferograms for p in (it.path, it.coherence)],
                [ws.label_dir], suffixes=_CSV)
    _notes(ws.problems)

    progress = _progress_printer(args)

    notes = []
    rows = screen_workspace(ws.interferograms, args.threshold, progress, notes=notes)
    _end_progress()
    _notes(notes)
    header = (f"{'rank':>4}  {'IFG':<17} {'Bt':>4} {'Traj':<4} {'mean':>5} {'median':>6} "
              f"{'<0.2':>5} {'valid':>5} {'resid':>6} {'score':>5}  reason")
    print(header)
    failed = [r for r in rows if r.failed]
    for k, r in enumerate((r for r in rows if not r.failed), 1):
        print(f"{k:>4}  {r.IFG or '?':<17} {r.Bt if r.Bt is not None else '?':>4} "
              f"{r.Traj or '?':<4} {r.mean_coh:5.2f} {r.median_coh:6.2f} "
              f"{r.frac_coh_lt_0_2:5.0%} {r.valid_frac:5.0%} {r.residue_density:6.2%} "
              f"{r.score:5.2f}  {r.reason}")
    for r in failed:
        print(f"{'-':>4}  {r.IFG or '?':<17} {r.reason}")
    if args.csv:
        write_csv(rows, args.csv)
        print(f"written: {args.csv}")
    if args.overviews:
        for item in ws.interferograms:
            for path, kind in ((item.path, "phase"), (item.coherence, "coherence")):
                if path is None:
                    continue
                try:
                    done = build_overviews(str(path), kind)
                except (OSError, MirageError) as exc:
                    print(f"error: {exc}", file=sys.stderr)
                    failed.append(path)
                    continue
                if done:
                    print(done)
    screened_failed = [r for r in rows if r.failed]
    if screened_failed:
        print(f"error: {len(screened_failed)} of {len(rows)} interferogram(s) could not be "
              "screened (listed last)", file=sys.stderr)
    return 1 if failed else 0


def cmd_morphometry(args) -> int:
    from .core.terrain.morphometry import LAYERS, derive_morphometry

    layers = args.layers.split(",") if args.layers else list(LAYERS)
    if not Path(args.dem).exists():
        raise CliError(f"{args.dem}: " + ("a link to something that does not exist"
                                          if Path(args.dem).is_symlink() else "file not found"))
    _output(args.outdir, [args.dem], folder=True)

    progress = _progress_printer(args)

    result = derive_morphometry(args.dem, args.outdir, layers, progress)
    _end_progress()
    for message in result.messages:
        print(f"note: {message}")
    for name, path in result.paths.items():
        print(path)
    return 0


def cmd_terrain_check(args) -> int:
    from .core.terrain.check import render_histograms
    from .core.terrain.workspace_check import check_workspace_box

    if args.png:
        _output(args.png, [args.workspace], [Path(args.workspace) / "labels"], suffixes=_PNG)
    check, item, notes = check_workspace_box(args.workspace, args.interferogram, args.id or (),
                                             args.cls, args.box, args.threshold)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"{item.label_stem}  IFG {item.meta.ifg or '?'}  Bt {item.meta.bt or '?'}  "
          f"Traj {item.meta.traj or '?'}")
    print(f"{'layer':<18} {'box':>9} {'outside':>9} {'KS D':>6} {'p':>8} {'n box':>7}")
    for c in check.comparisons:
        kind = " (circular mean)" if c.circular else ""
        print(f"{c.name:<18} {c.median_inside:9.3f} {c.median_outside:9.3f} {c.ks_d:6.2f} "
              f"{c.ks_p:8.2g} {c.inside.size:7d}{kind}")
    for fact in check.facts:
        print(f"  {fact}")
    for warning in check.warnings:
        print(f"  ! {warning}")
    if args.png:
        title = f"{item.meta.ifg or item.label_stem} {item.meta.traj or ''}"
        print(f"written: {render_histograms(check, args.png, title)}")
    return 0


def cmd_processes(args) -> int:
    from .core.dataset.processes import group_labels, read_label_dir, summarise, write_processes

    folder = _label_folder(args.labeldir)  # a workspace was given: its labels/
    if not folder.is_dir():
        raise CliError(f"{folder}: no such folder")
    _output(args.out, [folder], [folder], suffixes=_GPKG)

    progress = _progress_printer(args)

    table = read_label_dir(folder, progress, strict=True)
    _end_progress()
    _notes(table.warnings)
    if len(table) == 0:
        raise CliError(f"{folder}: no labels found")
    processes = group_labels(table, args.min_overlap, args.max_area_ratio)
    out = write_processes(table, processes, args.out)
    s = summarise(processes)
    print(f"{s['labels']} labels, {s['processes']} processes ({s['seen_once']} seen in one "
          f"interferogram only, {s['conflicts']} with a class conflict)")
    for p in processes:
        if p.conflict:
            print(f"  conflict {p.pid}: {p.class_text()} (majority {p.majority_class})")
    print(f"written: {out}")
    return 0


def cmd_audit(args) -> int:
    from .core.dataset.audit import (ERROR, INFO, WARNING, audit_label_dir, write_findings_csv,
                             write_findings_gpkg, write_findings_html)

    for out, kind in ((args.csv, _CSV), (args.html, _HTML), (args.gpkg, _GPKG)):
        if out:
            _output(out, [args.ifg], [_label_folder(args.labeldir)], suffixes=kind)
    progress = _progress_printer(args)

    report = audit_label_dir(args.labeldir, args.ifg, args.threshold, progress)
    _end_progress()
    for f in report.sorted():
        if f.severity != INFO or args.verbose:
            print(f"{f.severity:<7} {f.check:<24} {f.message}")
    print(f"{report.files} file(s), {report.labels} label(s): {report.count(ERROR)} error(s), "
          f"{report.count(WARNING)} warning(s), {report.count(INFO)} note(s)")
    for path, write in ((args.csv, write_findings_csv), (args.html, write_findings_html),
                        (args.gpkg, write_findings_gpkg)):
        if path:
            write(report, path)
            print(f"written: {path}")
    return 1 if report.has_errors else 0


def cmd_agree(args) -> int:
    from .core.dataset.agreement import compare_label_sets, render_agreement, write_agreement_csv

    from .core.dataset.agreement import sibling_paths

    for folder in (args.labeldir_a, args.labeldir_b):
        if not Path(folder).is_dir():
            raise CliError(f"{folder}: no such folder")
    guarded = [args.labeldir_a, args.labeldir_b]
    if args.csv:
        _output(args.csv, guarded, guarded, suffixes=_CSV)
        for out in sibling_paths(args.csv).values():
            _output(out, guarded, guarded)
    if args.png:
        _output(args.png, guarded, guarded, suffixes=_PNG)
    agreement = compare_label_sets(args.labeldir_a, args.labeldir_b, args.min_iou,
                                   strict=True)
    _notes(list(agreement.problems) + list(agreement.warnings))

    table = agreement.per_class()
    print(f"{'class':<6} {'n A':>5} {'n B':>5} {'same':>5} {'prec':>6} {'recall':>6} {'F1':>6}")
    for code, (n_a, n_b, tp, precision, recall, f1) in table.items():
        print(f"{code:<6} {n_a:>5} {n_b:>5} {tp:>5} {precision:6.2f} {recall:6.2f} {f1:6.2f}")
    kappa = agreement.kappa_class()
    sq, sq_k = agreement.agreement_sign_qual()
    cu, cu_k = agreement.agreement_class_unc()
    print(f"{len(agreement.pairs)} matched boxes (IoU >= {args.min_iou}), "
          f"{len(agreement.unmatched_a)} only in A, {len(agreement.unmatched_b)} only in B; "
          f"class kappa {kappa:.2f}; Sign_Qual equal {sq:.0%} (kappa {sq_k:.2f}); "
          f"Class_Unc equal {cu:.0%} (kappa {cu_k:.2f})")
    if args.csv:
        write_agreement_csv(agreement, args.csv)
        print(f"written: {args.csv}")
    if args.png:
        render_agreement(agreement, args.png, f"{Path(args.labeldir_a).name} vs "
                                              f"{Path(args.labeldir_b).name}")
        print(f"written: {args.png}")
    return 0


def cmd_report(args) -> int:
    from .core.dataset.report import build_report

    from .core.dataset.report import output_paths

    if not Path(args.labeldir).is_dir():
        raise CliError(f"{args.labeldir}: no such folder")
    _output(args.out, [args.ifg, args.morphometry], [_label_folder(args.labeldir)],
            suffixes=_HTML)
    for out in output_paths(args.out):
        _output(out, [args.ifg, args.morphometry], [_label_folder(args.labeldir)])

    progress = _progress_printer(args)

    result = build_report(args.labeldir, args.out, args.ifg, args.morphometry, progress)
    _end_progress()
    _notes(list(result.problems) + list(result.warnings))
    print(f"written: {result.html}")
    for path in result.csvs.values():
        print(f"written: {path}")
    return 0


def cmd_export(args) -> int:
    from .core.dataset.export import ExportConfig, export_training_set

    if not Path(args.labeldir).is_dir():
        raise CliError(f"{args.labeldir}: no such folder")
    try:
        split = tuple(float(v) for v in args.split.split(","))
    except ValueError:
        split = ()
    if len(split) != 3:
        raise CliError(f"--split {args.split}: three shares train,val,test, e.g. 0.7,0.15,0.15")
    out = _output(args.out, [args.ifg, args.labeldir], [_label_folder(args.labeldir)],
                  folder=True)
    if out.resolve() in (Path(args.ifg).resolve(), Path(args.labeldir).resolve()):
        raise OutputError.at(args.out, "is an input folder of this command",
                             "export into a folder of its own")
    config = ExportConfig(fmt=args.format, chip=args.chip, overlap=args.overlap,
                          recipe=args.recipe, terrain_layer=args.terrain_layer,
                          image_format=args.image_format, min_visible=args.min_visible,
                          negative_rate=args.negative_rate, split=split, seed=args.seed)

    progress = _progress_printer(args)

    result = export_training_set(args.labeldir, args.ifg, args.out, config, progress)
    _end_progress()
    print(result.summary())
    return 0


def cmd_exercise(args) -> int:
    from .core.teaching.exercise import make_exercise_from_workspace, make_synthetic_exercise

    if args.source:
        notes = []
        pack = make_exercise_from_workspace(args.source, args.out, min_iou=args.min_iou,
                                            notes=notes)
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
    else:
        pack = make_synthetic_exercise(args.out, seed=args.seed, difficulty=args.difficulty,
                                       min_iou=args.min_iou)
    print(f"exercise written: {pack} (key hidden in .mirage/exercise/)")
    return 0


def _student_folders(paths: List[str]) -> List[Tuple[str, Path]]:
    """(name, label folder) per student: a folder of shapefiles, or a workspace whose
    labels/ holds them; named after the folder (the workspace for labels/), or after the
    whole path where two would share a name."""
    found = []
    for given in paths:
        folder = Path(given)
        if not folder.is_dir():
            raise CliError(f"{given}: no such folder of labels")
        if not any(folder.glob("*.shp")) and (folder / "labels").is_dir():
            folder = folder / "labels"
        name = folder.parent.name if folder.name == "labels" else folder.name
        found.append((name or str(folder), folder))
    names = [n for n, _ in found]
    return [(str(Path(given)) if names.count(n) > 1 else n, folder)
            for given, (n, folder) in zip(paths, found)]


def cmd_score(args) -> int:
    import tempfile

    from .core.teaching.exercise import exercise_min_iou, extract_reference, is_exercise
    from .core.labels.store import LabelFileError, read_label_file
    from .core.teaching.scoring import score_class, write_scoreboard

    if not is_exercise(args.exercise):
        raise CliError(f"{args.exercise}: not an exercise pack (no .mirage/exercise/)")
    students = _student_folders(args.students)
    if args.csv:
        _output(args.csv, [args.exercise], [f for _, f in students], suffixes=_CSV)
    min_iou = args.min_iou if args.min_iou is not None else exercise_min_iou(args.exercise)
    with tempfile.TemporaryDirectory(prefix="mirage-key-") as tmp:
        key = extract_reference(args.exercise, tmp)
        for part in sorted(Path(key).glob("*.shp")):  # a key that cannot be read whole
            try:
                read_label_file(part)
            except LabelFileError as exc:
                raise CliError(f"{args.exercise}: its exercise key is damaged "
                               f"({part.name}: {str(exc).split(': ', 1)[-1][:200]}); ask the "
                               "teacher for the pack again") from None
        scores = score_class(students, key, min_iou)
    _notes([n for s in scores.values() for n in s.file_notes])
    print(f"matching boxes at IoU >= {min_iou:g}")
    for name, score in sorted(scores.items()):
        print(f"{name}: {score.summary()}")
        if args.verbose:
            for m in score.mistakes:
                print(f"  - {m.kind}: {m.feedback}")
            for note in score.notes:
                print(f"  - note: {note}")
    if args.csv:
        write_scoreboard(scores, args.csv)
        print(f"written: {args.csv}")
    return 0


def cmd_quicklook(args) -> int:
    from .core.labels.store import read_label_file
    from .core.interferograms.quicklook import render_quicklook

    _output(args.out, [args.interferogram, args.coherence, args.labels],
            [Path(args.labels).parent] if args.labels else (), suffixes=_PNG)
    label_set = read_label_file(args.labels) if args.labels else None
    notes = list(label_set.warnings) if label_set else []
    png = render_quicklook(args.interferogram, args.out, args.coherence,
                           label_set.labels if label_set else (), notes=notes)
    _notes(notes)
    print(png)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mirage_labeller",
        description="MIRAGE Labeller: label DInSAR wrapped-phase signals of slow mass "
                    "movements (the QGIS plugin's operations, headless).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("synth", help="build a synthetic MIRAGE-style workspace",
                       description="Write a synthetic workspace (interferograms, coherence, DEM, "
                                   "reference labels, truth.json) in OUTDIR.")
    p.add_argument("outdir")
    p.add_argument("--seed", type=_int_range(0, 2 ** 32 - 1), default=1)
    p.add_argument("--region", type=_region, default=ALPS, help="alps (default) or apennines")
    p.add_argument("--size", type=_int_range(300, 20000), default=1000,
                   help="pixels per side, 15 m pixels (300-20000)")
    p.add_argument("--interferograms", type=_int_range(1, 500), default=6)
    p.add_argument("--clean", action="store_true",
                   help="no noise, atmosphere or artefacts (deformation only)")
    p.add_argument("--quicklook", action="store_true", help="also write PNG quick-looks")
    p.add_argument("--jitter", type=float, default=0.0,
                   help="move each label edge by up to this share of the box side (0-0.25), "
                        "as different labellers would")
    p.add_argument("--conflicts", type=_int_range(0, 1000), default=0,
                   help="give this many movements one label of a confusable class")
    p.add_argument("--force", action="store_true", help="write into a non-empty folder")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("inspect", help="what the plugin infers from rasters or a workspace",
                       description="Print dates, IFG, Bt, Traj, CRS and value encoding of "
                                   "interferogram/coherence rasters, or list a workspace.")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("screen", help="rank interferograms by coherence and phase noise",
                       description="One block-wise pass per interferogram: coherence mean, "
                                   "median, share below 0.2 and a threshold, valid share, "
                                   "residue density, and a 0-1 usable score with its reason.")
    p.add_argument("ifgdir", help="a workspace or a folder of interferograms")
    p.add_argument("--csv", help="write the table here")
    p.add_argument("--threshold", type=float, default=0.2,
                   help="coherence threshold (default 0.2)")
    p.add_argument("--overviews", action="store_true",
                   help="also build external overviews (.ovr) where missing")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_screen)

    p = sub.add_parser("morphometry", help="terrain layers from a DEM",
                       description="Write hillshade, slope, aspect, profile_curvature, "
                                   "plan_curvature, tri and twi GeoTIFFs on the DEM's grid.")
    p.add_argument("dem")
    p.add_argument("outdir")
    p.add_argument("--layers", help="comma-separated subset, e.g. slope,aspect,twi")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_morphometry)

    p = sub.add_parser("terrain-check", help="terrain in a box against ground outside labels",
                       description="Step 2: each terrain layer of the workspace (dem/) inside "
                                   "the box(es) against an equal random sample outside every "
                                   "label: medians, Kolmogorov-Smirnov D, and warnings (flat "
                                   "terrain, low line-of-sight sensitivity, inventory overlap, "
                                   "low coherence).")
    p.add_argument("workspace")
    p.add_argument("interferogram", help="its IFG (20190805_20190817), label stem or file name")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, nargs="+", help="label Id(s) of that interferogram")
    which.add_argument("--class", dest="cls", help="every label of this class, e.g. RG")
    which.add_argument("--box", type=float, nargs=4, metavar=("XMIN", "YMIN", "XMAX", "YMAX"),
                       help="a box in the labels' CRS")
    p.add_argument("--threshold", type=float, default=0.2, help="coherence threshold")
    p.add_argument("--png", help="also draw the histograms here")
    p.set_defaults(func=cmd_terrain_check)

    p = sub.add_parser("processes", help="group labels into mass-movement processes",
                       description="Labels of different interferograms whose overlap covers "
                                   "at least MIN_OVERLAP of the smaller box (and whose areas "
                                   "differ by at most MAX_AREA_RATIO) are the same movement; "
                                   "processes are the connected groups. Writes a GeoPackage "
                                   "with layers processes (union), envelopes and members.")
    p.add_argument("labeldir", help="a folder of label shapefiles, or a workspace")
    p.add_argument("--out", required=True, help="output GeoPackage, e.g. processes.gpkg")
    p.add_argument("--min-overlap", type=float, default=0.5,
                   help="share of the smaller box that must overlap (default 0.5)")
    p.add_argument("--max-area-ratio", type=float, default=9.0,
                   help="largest area ratio of two boxes of one movement (default 9)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_processes)

    p = sub.add_parser("audit", help="find every problem in a label set (read-only)",
                       description="Schema, values, geometry and duplicates of every label "
                                   "file in LABELDIR; with --ifg also IFG/Traj against each "
                                   "file's interferogram, footprint, nodata and coherence. "
                                   "Only reads. Exit status 1 when there is an error.")
    p.add_argument("labeldir")
    p.add_argument("--ifg", help="the workspace (or folder of interferograms) of the labels")
    p.add_argument("--csv", help="findings as CSV (severity, file, label_id, check, message)")
    p.add_argument("--html", help="a report to read")
    p.add_argument("--gpkg", help="findings as a GeoPackage layer (the label boxes)")
    p.add_argument("--threshold", type=float, default=0.2, help="coherence threshold")
    p.add_argument("--verbose", action="store_true", help="also print notes (info)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("agree", help="agreement between two label sets",
                       description="Boxes of the same interferogram matched one to one by IoU "
                                   "(optimal assignment); per-class precision, recall and F1 "
                                   "of B against A, Cohen's kappa on the class of matched "
                                   "boxes, agreement on Sign_Qual and Class_Unc, confusion "
                                   "matrix with 'unmatched'.")
    p.add_argument("labeldir_a", help="the reference (e.g. the first annotator)")
    p.add_argument("labeldir_b", help="compared with it (e.g. a second annotator)")
    p.add_argument("--csv", help="per-class table (and *_confusion.csv beside it)")
    p.add_argument("--png", help="confusion matrix and per-class scores as a figure")
    p.add_argument("--min-iou", type=float, default=0.3,
                   help="boxes overlapping less are not a match (default 0.3)")
    p.set_defaults(func=cmd_agree)

    p = sub.add_parser("report", help="dataset report (HTML with figures, CSV tables)",
                       description="The paper's Table 2, Fig. 3 (baselines per class), track "
                                   "and quality shares, Fig. 7 (terrain in labels against "
                                   "outside), Fig. 8 (frequency-area with power-law fits) and "
                                   "the processes, as one HTML file with CSVs beside it.")
    p.add_argument("labeldir")
    p.add_argument("--ifg", help="the workspace (its dem/ terrain layers are used)")
    p.add_argument("--morphometry", help="a folder of terrain layers (slope.tif, tri.tif, ...)")
    p.add_argument("--out", required=True, help="report.html")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("export", help="training set for a detector (YOLO or COCO)",
                       description="Chips at native resolution from every interferogram, "
                                   "boxes in chip pixels, negatives, a train/val/test split "
                                   "grouped by process and stratified by class, and a "
                                   "manifest to map predictions back.")
    p.add_argument("labeldir")
    p.add_argument("--ifg", required=True, help="the workspace of the interferograms")
    p.add_argument("--format", choices=("yolo", "coco"), default="yolo")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--chip", type=_int_range(32, 8192), default=640, help="pixels (640)")
    p.add_argument("--overlap", type=float, default=0.2, help="share between chips (0.2)")
    p.add_argument("--recipe", choices=("cos_sin_coh", "phase_coh_terrain"),
                   default="cos_sin_coh",
                   help="channels: cos, sin of the phase and coherence (no seam at +-pi), or "
                        "phase, coherence and a terrain layer")
    p.add_argument("--terrain-layer", default="slope",
                   help="the terrain layer of phase_coh_terrain (a name in dem/)")
    p.add_argument("--image-format", choices=("png", "tif"), default="png")
    p.add_argument("--min-visible", type=float, default=0.5,
                   help="drop boxes showing less than this share in a chip (0.5)")
    p.add_argument("--negative-rate", type=float, default=0.1,
                   help="share of chips without labels kept as negatives (0.1)")
    p.add_argument("--split", default="0.7,0.15,0.15", help="train,val,test shares")
    p.add_argument("--seed", type=_int_range(0, 2 ** 31), default=0)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("exercise", help="make a workshop exercise (the key hidden)",
                       description="A pack students open in the dock (strict step-by-step "
                                   "mode): from a labelled workspace (--from) or synthetic.")
    p.add_argument("out")
    p.add_argument("--from", dest="source", help="a labelled workspace to make it from")
    p.add_argument("--seed", type=_int_range(0, 2 ** 31), default=1)
    p.add_argument("--difficulty", choices=("easy", "medium", "hard"), default="medium")
    p.add_argument("--min-iou", type=_float_range(0.01, 1.0), default=None,
                   help="IoU that counts as the same signal when scoring this pack (0.2)")
    p.set_defaults(func=cmd_exercise)

    p = sub.add_parser("score", help="score students' labels against an exercise's key",
                       description="Found, missed, false alarms, artefacts called movements, "
                                   "class confusions and feedback per student; a scoreboard "
                                   "CSV for the class.")
    p.add_argument("exercise")
    p.add_argument("students", nargs="+", help="each student's label folder")
    p.add_argument("--csv", help="the scoreboard")
    p.add_argument("--min-iou", type=_float_range(0.01, 1.0), default=None,
                   help="IoU that counts as the same signal (default: the pack's, else 0.2; "
                        "experts agree at 0.2-0.4)")
    p.add_argument("--verbose", action="store_true", help="print the feedback")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("quicklook", help="PNG of an interferogram with the cyclic colour ramp")
    p.add_argument("interferogram")
    p.add_argument("--coherence")
    p.add_argument("--labels", help="label shapefile to draw")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_quicklook)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .core.base.errors import from_os_error
    from .core.base.progress import Cancelled

    try:
        return args.func(args)
    except MirageError as exc:  # bad input or an impossible request: one line
        return _fail(f"error: {exc}")
    except ValueError as exc:  # core's checks of values name what is wrong
        return _fail(f"error: {exc}")
    except (KeyboardInterrupt, Cancelled):
        return _fail("interrupted", 130)
    except OSError as exc:  # permissions, full disk, a file where a folder should be, GDAL I/O
        return _fail(f"error: {from_os_error(exc)}")
    except Exception as exc:  # noqa: BLE001 - the last guard: never a traceback for a user
        log = _write_crash_log(args)
        return _fail(f"error: unexpected {type(exc).__name__} in {args.command}: "
                     f"{str(exc)[:300]} (details in {log})")


def _fail(line: str, status: int = 1) -> int:
    _end_progress()
    print(line, file=sys.stderr)
    return status


def _write_crash_log(args) -> str:
    """The traceback of an unexpected error, in the user's cache folder (for a bug report)."""
    import os
    import traceback

    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mirage_labeller"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "last-error.txt"
        path.write_text(f"python -m mirage_labeller {' '.join(sys.argv[1:])}\n\n"
                        + traceback.format_exc(), encoding="utf-8")
        return str(path)
    except OSError:
        return "no log: the cache folder cannot be written"
