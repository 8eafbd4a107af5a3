"""Every CLI command on a corpus of damaged inputs (issue 18): no traceback, exit status 1
with the damaged file named (or, where the input is usable, exit 0 with a note naming it),
inputs byte-identical, nothing outside the workspace touched, no partial output, no scratch
files left. The corpus is built by tests/damaged_inputs.py from one synthetic workspace.

Outcomes (a case lists the ones it accepts):
  refuse  exit 1 and one of the case's names in stderr (inspect, screen and audit report on
          stdout: for them a stdout line as for a note counts too); nothing of the requested
          output left (screen's and audit's tables list what failed: theirs may stay, complete)
  note    exit 0 and a line in stdout or stderr naming one of the case's names and saying
          what is wrong or was done (note, !, warning, skipped, cannot, ...: NOTE_MARKERS)
  ok      exit 0 (the damage is in something the command does not need)
  badcli  exit 1 or 2 (a bad command-line value) with the option or value named
"""
import csv
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor, wait
from fnmatch import fnmatch
from pathlib import Path

import pytest
from damaged_inputs import (
    COMMANDS,
    DAMAGES,
    LEFTOVER_PATTERNS,
    OUTPUT_NAMES,
    _digest,
    all_outputs,
    build_base,
    leftovers,
    listing,
    namespace_flags,
    prepare_and_run,
    snapshot,
)

REFUSE, NOTE, OK, BADCLI = ("refuse",), ("note",), ("ok",), ("badcli",)
REFUSE_OR_NOTE, OK_OR_REFUSE = ("refuse", "note"), ("ok", "refuse")

ALL = " ".join(COMMANDS)
WRITERS = " ".join(c for c in COMMANDS if c in OUTPUT_NAMES)  # every command but inspect
LABEL_READERS = "processes agree report export score inspect"  # summaries of a label set
LABEL_OWNERS = "quicklook terrain-check exercise audit"  # use the damaged file itself

# (case, commands, accepted outcomes, why)
EXPECT = [
    ("pristine", ALL, OK, "undamaged: the harness itself must pass"),
    # --- rasters (the target is the interferogram 20190805_20190817, its coherence, the DEM)
    ("ifg_truncated_half", "inspect screen quicklook", REFUSE,
     "the tiles past the cut cannot be read"),
    ("ifg_truncated_half", "export", REFUSE_OR_NOTE,
     "export may leave out an unreadable interferogram, saying which"),
    ("ifg_truncated_half", "exercise", REFUSE_OR_NOTE,
     "a pack must not hand students an unreadable raster without a word"),
    ("ifg_truncated_header", "inspect screen quicklook audit", REFUSE,
     "cut to 200 bytes: the header itself is incomplete"),
    ("ifg_truncated_header", "export", REFUSE_OR_NOTE, "leave it out, saying which, or refuse"),
    ("ifg_truncated_header", "exercise", REFUSE_OR_NOTE, "unreadable raster in a pack"),
    ("ifg_zero_bytes", "inspect screen quicklook audit", REFUSE, "an empty .tif"),
    ("ifg_zero_bytes", "export", REFUSE_OR_NOTE, "leave it out, saying which, or refuse"),
    ("ifg_zero_bytes", "exercise", REFUSE_OR_NOTE, "unreadable raster in a pack"),
    ("ifg_random_bytes", "inspect screen quicklook audit", REFUSE, "not a raster at all"),
    ("ifg_random_bytes", "export", REFUSE_OR_NOTE, "leave it out, saying which, or refuse"),
    ("ifg_random_bytes", "exercise", REFUSE_OR_NOTE, "unreadable raster in a pack"),
    ("ifg_is_directory", "inspect quicklook", REFUSE, "a folder named .tif given as a raster"),
    ("ifg_is_directory", "screen export audit exercise", REFUSE_OR_NOTE,
     "a labelled interferogram that is a folder: say so, do not drop it silently"),
    ("dir_named_tif", "inspect screen export", REFUSE_OR_NOTE,
     "a folder x.tif among the interferograms is skipped: it must be said (18.10)"),
    ("ifg_zero_pixel", "inspect screen quicklook audit", REFUSE,
     "pixel size 0: no georeferencing (ZeroDivisionError, TransformNotInvertible)"),
    ("ifg_zero_pixel", "export", REFUSE_OR_NOTE, "leave it out, saying which, or refuse"),
    ("ifg_zero_pixel", "exercise", REFUSE_OR_NOTE, "a pack of an ungeoreferenced raster"),
    ("ifg_complex", "inspect screen export quicklook", NOTE,
     "CFloat32 exp(i*phase): the phase is np.angle, and that is said (18.8)"),
    ("ifg_complex", "audit exercise", OK, "a complex interferogram is a valid product"),
    ("ifg_displacement", "inspect screen export quicklook", REFUSE_OR_NOTE,
     "DATA_UNITS=METRES: a displacement map, not a phase"),
    ("ifg_4326_over_metres", "inspect screen export quicklook audit", REFUSE_OR_NOTE,
     "EPSG:4326 over coordinates of 590000/5160000: the CRS tag cannot be right"),
    ("ifg_huge_header", "inspect screen export quicklook audit", REFUSE_OR_NOTE,
     "a 424-byte file whose header claims 300000 x 300000 pixels (360 GB)"),
    ("coh_percent", "inspect screen export quicklook terrain-check audit", REFUSE_OR_NOTE,
     "coherence 0-100 (float): neither 0-1 nor LiCSAR's 0-255"),
    ("coh_negative", "inspect screen export quicklook terrain-check audit", REFUSE_OR_NOTE,
     "values down to -1 cannot be coherence"),
    ("coh_far_away", "inspect screen export quicklook terrain-check audit", REFUSE_OR_NOTE,
     "coherence 1000 km east of its interferogram (only sizes are compared)"),
    ("coh_other_crs", "inspect screen export quicklook terrain-check audit", REFUSE_OR_NOTE,
     "coherence in EPSG:32633 beside an EPSG:32632 interferogram: resample and say so, or refuse"),
    ("dem_truncated", "inspect morphometry", REFUSE, "the DEM's tiles past the cut are missing"),
    ("dem_truncated", "exercise", REFUSE_OR_NOTE, "unreadable DEM in a pack"),
    ("dem_truncated_header", "inspect morphometry", REFUSE, "the DEM's header is incomplete"),
    ("dem_zero_pixel", "inspect morphometry", REFUSE, "a DEM with pixel size 0: no slope"),
    ("layer_truncated", "report", NOTE,
     "an optional terrain layer that cannot be read is skipped with a note (18.9)"),
    ("layer_truncated", "terrain-check exercise", REFUSE_OR_NOTE, "dem/slope.tif is damaged"),
    ("layer_truncated", "inspect export", REFUSE,
     "inspect: the file itself; export --recipe phase_coh_terrain: the chips' third channel"),
    # --- label shapefiles (the target holds 5 labels)
    ("dbf_truncated", LABEL_READERS, REFUSE_OR_NOTE,
     ".dbf cut in record 4: 3 of 5 labels read; a summary may skip the file, not count 3 (18.2)"),
    ("dbf_truncated", LABEL_OWNERS, REFUSE, "reading 3 of 5 labels silently loses labels"),
    ("shx_foreign", LABEL_READERS, REFUSE_OR_NOTE, "the .shx of a 2-label file: 2 of 5 read"),
    ("shx_foreign", LABEL_OWNERS, REFUSE, "the .shx and .dbf disagree (2 against 5 records)"),
    ("shp_zero_bytes", LABEL_READERS, REFUSE_OR_NOTE, "an empty .shp: skip it and say so"),
    ("shp_zero_bytes", LABEL_OWNERS, REFUSE, "an empty .shp"),
    ("shp_random", LABEL_READERS, REFUSE_OR_NOTE, "a .shp of random bytes: skip it and say so"),
    ("shp_random", LABEL_OWNERS, REFUSE, "a .shp of random bytes"),
    ("prj_garbage", LABEL_READERS, REFUSE_OR_NOTE,
     "'this is not a CRS': refuse, or read as EPSG:32632 and say so"),
    ("prj_garbage", "quicklook terrain-check exercise", REFUSE_OR_NOTE,
     "boxes in an unknown CRS: refuse, or assume EPSG:32632 and say so"),
    ("prj_garbage", "audit", REFUSE, "an unparseable .prj is an error of the label file"),
    ("coord_nan", LABEL_READERS, REFUSE_OR_NOTE, "a box with a NaN vertex"),
    ("coord_nan", LABEL_OWNERS, REFUSE, "a box with a NaN vertex cannot be used"),
    ("coord_inf", LABEL_READERS, REFUSE_OR_NOTE,
     "a box with an infinite vertex (OverflowError, broken GeoPackage extent: 18.5)"),
    ("coord_inf", LABEL_OWNERS, REFUSE, "a box with an infinite vertex cannot be used"),
    ("dbf_non_utf8", LABEL_READERS, REFUSE_OR_NOTE, "Class bytes e9 ff under a UTF-8 .cpg"),
    ("dbf_non_utf8", LABEL_OWNERS, REFUSE, "a label whose class cannot be decoded"),
    ("long_label_path", "inspect screen processes audit agree report export quicklook "
     "terrain-check score exercise", OK_OR_REFUSE,
     "label paths of 2.1 kB are legal (PATH_MAX 4096): work, or refuse naming the path"),
    # --- workspace side files
    ("state_non_utf8", "inspect screen export terrain-check exercise", OK,
     "the CLI does not need the dock's .mirage/state.json: it must neither stop nor touch it"),
    ("basemap_empty", "inspect screen exercise", OK, "an empty basemaps/x.xyz stops nothing"),
    ("basemap_non_utf8", "inspect screen exercise", OK, "a non-UTF-8 x.xyz stops nothing"),
    ("inventory_damaged", "terrain-check", NOTE,
     "an unreadable inventory is skipped: say which (18.10)"),
    ("inventory_damaged", "exercise", REFUSE_OR_NOTE, "a damaged inventory copied into a pack"),
    ("inventory_damaged", "inspect", OK, "inspect does not read inventories"),
    # (inspect, processes, agree, export, terrain-check read through the label store, which
    # finishes pending saves; audit, report, score, quicklook, exercise read the files as
    # they are, without recovery)
    ("journal_escape", "inspect processes agree export terrain-check", REFUSE_OR_NOTE,
     "a journal whose stage/stale point outside is refused and reported, never followed (18.1)"),
    ("journal_escape", "audit report score quicklook exercise", OK_OR_REFUSE,
     "they do not recover saves; in any case nothing outside the label folder may change"),
    ("pending_readonly", "inspect processes agree export terrain-check", NOTE,
     "read the current set, say the pending save cannot be finished on a read-only folder"),
    ("pending_readonly", "audit report score quicklook exercise", OK,
     "they do not recover saves: a read-only folder with a pending save reads as it is"),
    # --- outputs
    ("out_is_input", "synth screen terrain-check processes audit agree report export exercise "
     "score quicklook", REFUSE, "an output that is an input is refused; input unchanged (18.6)"),
    ("out_in_labels", WRITERS, REFUSE, "no output inside the label folder (18.6)"),
    ("out_readonly", WRITERS, REFUSE, "a read-only output folder (read-only bind mount)"),
    ("out_full", WRITERS, REFUSE, "a full output folder (64 kB tmpfs, filled): ENOSPC"),
    ("out_parent_is_file", WRITERS, REFUSE, "a parent of the output is a file"),
    ("dangling_symlink", ALL, REFUSE,
     "a dangling symlink as argument: name the argument, not the link's target (18.10)"),
    # --- exercise keys, export and bad values
    ("key_crc_corrupt", "score", REFUSE, "a CRC-corrupt member of reference.zip (zlib.error)"),
    ("key_zip_bomb", "score", REFUSE, "a member of 1.1 GB: refused before it is unpacked"),
    ("key_unreadable", "score", REFUSE, "reference.zip is random bytes"),
    ("key_empty", "score", REFUSE, "an empty key: fail naming the pack, not 'found 0 of 0'"),
    ("key_member_garbage", "score", REFUSE, "the key's .shp is random bytes"),
    ("split_not_numbers", "export", BADCLI, "--split a,b,c names the option"),
    ("export_nothing", "export", REFUSE, "an export that writes no chip is a failure"),
    ("layers_unknown", "morphometry", BADCLI, "--layers slope,nope_layer names the layer"),
    ("ifg_unknown", "terrain-check", REFUSE, "an interferogram the workspace lacks is named"),
]

OUTPUT_CASES = {"out_is_input", "out_in_labels", "out_readonly", "out_full",
                "out_parent_is_file"}
REPORTING = {"inspect", "screen", "audit"}  # their report on stdout names the files
TABLES = {"screen": ["file", "IFG"], "audit": ["severity", "file"]}  # first cells of their CSVs
TRACEBACK = "Traceback (most recent call last)"
UNEXPECTED = "error: unexpected "  # cli.main's guard against anything core did not say


def _params():
    seen, params = set(), []
    for case, commands, outcome, why in EXPECT:
        assert case in DAMAGES, case
        for command in commands.split():
            assert command in COMMANDS, command
            assert (command, case) not in seen, (command, case)
            seen.add((command, case))
            params.append(pytest.param(command, case, outcome, why, id=f"{command}-{case}"))
    return params


@pytest.fixture(scope="session")
def base(tmp_path_factory):
    return build_base(tmp_path_factory.mktemp("damaged-base"))


NOTE_MARKERS = ("note", "!", "warning", "skipped", "cannot", "could not", "error", "refus",
                "ignored", "unreadable", "damaged", "not ")


def _says(text: str, names) -> bool:
    """Whether a line names one of ``names`` and says something is wrong or was done about
    it (inspect prints every file's name; a note is more than the name)."""
    return any(any(n in line for n in names) and any(m in line.lower() for m in NOTE_MARKERS)
               for line in text.splitlines())


def _traceback_origin(text: str) -> str:
    """The exception line and the last frame in mirage_labeller/ of a traceback."""
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', text)
    ours = [f for f in frames if "mirage_labeller" in f[0]]
    where = ""
    if ours:
        path, line, func = ours[-1]
        where = f" at {path[path.rindex('mirage_labeller'):]}:{line} ({func})"
    lines = [ln for ln in text.split(TRACEBACK)[-1].strip().splitlines()
             if ln and not ln.startswith(" ")]
    return (lines[-1] if lines else "?") + where


def _tables_complete(ctx) -> list:
    """screen's and audit's tables after exit 1: each complete (readable, with its header)
    or absent."""
    problems = []
    csv_path = ctx.output()
    if csv_path.exists():
        with open(csv_path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        first = TABLES[ctx.command]
        if not rows or [c.strip() for c in rows[0][:len(first)]] != first:
            problems.append(f"incomplete {csv_path.name}: {rows[:1]}")
    gpkg = ctx.outdir / "findings_out.gpkg"
    if ctx.command == "audit" and gpkg.exists():
        import fiona

        try:
            with fiona.open(str(gpkg), layer="findings") as src:
                len(src)
        except Exception as exc:  # noqa: BLE001 - any failure to read is the finding
            problems.append(f"findings GeoPackage unreadable: {exc}")
    return problems


def _check(ctx, run, outcome, before, victims_before) -> list:
    problems = []
    out, err = run.stdout, run.stderr
    both = out + "\n" + err
    if TRACEBACK in both:
        problems.append(f"traceback: {_traceback_origin(err if TRACEBACK in err else out)}")
    if UNEXPECTED in err:  # the CLI's last guard caught what core should have said itself
        problems.append("the last guard fired: " + next(
            ln for ln in err.splitlines() if UNEXPECTED in ln)[:200])
    rc = run.returncode
    named_err = any(n in err for n in ctx.names) or (
        ctx.command in REPORTING and _says(out, ctx.names))
    named_any = _says(both, ctx.names)
    kinds = {"refuse": rc == 1 and named_err, "note": rc == 0 and named_any, "ok": rc == 0,
             "badcli": rc in (1, 2) and any(n in err for n in ctx.names)}
    if not any(kinds[k] for k in outcome):
        if rc is None:
            got = "timed out"
        elif rc in (1, 2) and not named_err:
            got = f"exit {rc} without naming {ctx.names}"
        elif rc == 0 and "note" in outcome:
            got = f"exit 0 without a note naming {ctx.names}"
        else:
            got = f"exit {rc}"
        problems.append(f"expected {'|'.join(outcome)}, got {got}")
    for bad in ctx.forbidden:
        if bad in err:
            problems.append(f"names {bad!r} (the link's target), not the argument")
    after = snapshot(ctx.hash_roots, ctx.exclude, ctx.tracked)
    changed = sorted(p for p in before if p in after and before[p] != after[p])
    gone = sorted(p for p in before if p not in after)
    added = sorted(p for p in after if p not in before)
    for label, paths in (("input modified", changed), ("input removed", gone),
                         ("file added among the inputs", added)):
        if paths:
            problems.append(f"{label}: {', '.join(os.path.relpath(p, ctx.dir) for p in paths)}")
    for path in ctx.absent:
        if path.exists():
            problems.append(f"created: {path}")
    for victim, digest in victims_before.items():
        if _digest(victim) != digest:
            problems.append(f"file outside the workspace changed: {victim}")
    outputs = all_outputs(ctx)
    if rc != 0:
        if ctx.command in TABLES and rc == 1 and ctx.case not in OUTPUT_CASES:
            problems += _tables_complete(ctx)
        else:
            for path in outputs:
                if (path.exists() or path.is_symlink()) and not (
                        ctx.preexisting_output and path == ctx.output()):
                    problems.append(f"partial output left: {os.path.relpath(path, ctx.dir)}")
            left = [n for n in listing(ctx.outdir) if n not in ctx.keep_in_outdir]
            if ctx.full:
                left = [n for names in run.full_listings.values() for n in names]  # sizes too
            if left:
                problems.append(f"left in the output folder: {left[:6]}")
    elif rc == 0 and ctx.full:
        problems.append(f"exit 0 on a full disk, leaving: {list(run.full_listings.values())}")
    elif rc == 0 and ctx.case not in OUTPUT_CASES:
        missing = [p.name for p in outputs if not p.exists()]
        if missing:
            problems.append(f"exit 0 but not written: {missing}")
    scratch = leftovers([ctx.dir]) + [
        f"{folder}/{n}" for folder, names in run.full_listings.items() for n in names
        if any(fnmatch(Path(n.rsplit(" (", 1)[0]).name, pat) for pat in LEFTOVER_PATTERNS)]
    if scratch:
        problems.append(f"scratch files left: {[os.path.relpath(p, ctx.dir) for p in scratch][:6]}")
    in_tmp = listing(ctx.tmpdir)
    if in_tmp:
        problems.append(f"left in TMPDIR: {in_tmp[:6]}")
    return problems


@pytest.fixture(scope="session")
def runs(base, tmp_path_factory, request):
    """Every selected (command, case) prepared and run up front, a few at a time (the CLI
    runs are subprocesses: two cores halve the time); each test then checks its own."""
    wanted = [(item.callspec.params["command"], item.callspec.params["case"])
              for item in request.session.items
              if getattr(item, "originalname", None) == "test_damaged_input"]
    namespace_flags(tmp_path_factory.mktemp("namespace-probe"))  # detected once, up front
    folders = {key: tmp_path_factory.mktemp(f"{key[0]}-{key[1]}", numbered=True)
               for key in wanted}
    workers = int(os.environ.get("MIRAGE_DAMAGED_WORKERS", os.cpu_count() or 2))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {key: pool.submit(prepare_and_run, base, folders[key], *key)
                   for key in wanted}
        wait(list(futures.values()))
    return futures


@pytest.mark.parametrize("command, case, outcome, why", _params())
def test_damaged_input(runs, command, case, outcome, why):
    prepared = runs[(command, case)].result()  # a failure to build the case raises here
    ctx, run = prepared.ctx, prepared.run
    problems = _check(ctx, run, outcome, prepared.before, prepared.victims_before)
    record = os.environ.get("MIRAGE_DAMAGED_RECORD")
    if record:  # one JSON line per case, for a summary table
        with open(record, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"command": command, "case": case, "rc": run.returncode,
                                 "how": run.how, "seconds": round(run.seconds, 2),
                                 "problems": problems,
                                 "stderr": run.stderr[-600:], "stdout": run.stdout[-300:]})
                     + "\n")
    assert not problems, (f"{command} on {case} ({why}):\n  " + "\n  ".join(problems)
                          + f"\n$ python -m mirage_labeller {' '.join(run.argv)}\n"
                          f"exit {run.returncode} ({run.how})\nstderr: {run.stderr[-1500:]}"
                          f"\nstdout: {run.stdout[-500:]}")
