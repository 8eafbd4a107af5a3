"""screen: rank a workspace's interferograms by coherence and phase noise (step 0).

An interferogram that cannot be read gives a failure row and the others go on; the status is 1
then (and when an overview could not be built), so a script notices. The rows are also
Processing's table OUTPUT.
"""
from __future__ import annotations

from .base import Operation, checked_output
from .params import BOOL, CSV, FLOAT, INPUT_FOLDER, OUTPUT_FILE, Param
from .result import Result, Table, TableSpec

_NUMERIC = {"Bt", "mean_coh", "median_coh", "frac_coh_lt_0_2", "frac_coh_lt_threshold",
            "threshold", "valid_frac", "residue_density", "score"}


def _fields():
    from ..interferograms.screening import CSV_COLUMNS

    return [(c, "float" if c in _NUMERIC else "string") for c in CSV_COLUMNS]


def run(p, progress) -> Result:
    from ..base.errors import InputError, MirageError
    from ..interferograms.screening import CSV_COLUMNS, build_overviews, screen_workspace, write_csv
    from ..interferograms.workspace import open_workspace

    ws = open_workspace(p["ifgdir"])
    if not ws.interferograms:
        raise InputError("; ".join(str(x) for x in ws.problems)
                         or f"{p['ifgdir']}: no interferogram found")
    checked_output(p["csv"], [x for it in ws.interferograms for x in (it.path, it.coherence)],
                   [ws.label_dir], suffixes=CSV)
    result = Result()
    result.note(*ws.problems)
    notes = []
    rows = screen_workspace(ws.interferograms, p["threshold"],
                            progress.part(0.0, 0.9 if p["overviews"] else 1.0),
                            progress.cancelled, notes=notes)
    result.note(*notes)
    result.say(f"{'rank':>4}  {'IFG':<17} {'Bt':>4} {'Traj':<4} {'mean':>5} {'median':>6} "
               f"{'<0.2':>5} {'valid':>5} {'resid':>6} {'score':>5}  reason")
    failed = [r for r in rows if r.failed]
    for k, r in enumerate((r for r in rows if not r.failed), 1):
        result.say(f"{k:>4}  {r.IFG or '?':<17} {r.Bt if r.Bt is not None else '?':>4} "
                   f"{r.Traj or '?':<4} {r.mean_coh:5.2f} {r.median_coh:6.2f} "
                   f"{r.frac_coh_lt_0_2:5.0%} {r.valid_frac:5.0%} {r.residue_density:6.2%} "
                   f"{r.score:5.2f}  {r.reason}")
    for r in failed:
        result.say(f"{'-':>4}  {r.IFG or '?':<17} {r.reason}")
    table = Table()
    for r in rows:
        row = r.row()  # str(): a core sentence (messages.Msg) is no plain string
        table.rows.append([str(row[c]) if isinstance(row[c], str) else row[c]
                           for c in CSV_COLUMNS])
    result.tables["OUTPUT"] = table
    if p["csv"]:
        write_csv(rows, p["csv"])
        result.wrote("csv", p["csv"])
    if p["overviews"]:
        pairs = [(path, kind) for item in ws.interferograms
                 for path, kind in ((item.path, "phase"), (item.coherence, "coherence"))
                 if path is not None]
        for k, (path, kind) in enumerate(pairs):
            progress.check()
            progress(0.9 + 0.1 * k / len(pairs), f"overviews {path.name}")
            try:
                done = build_overviews(str(path), kind)
            except (OSError, MirageError) as exc:
                result.errors.append(str(exc))
                result.status = 1
                continue
            if done:
                result.say(done)
    if failed:
        result.errors.append(f"{len(failed)} of {len(rows)} interferogram(s) could not be "
                             "screened (listed last)")
        result.status = 1
    return result


OPERATION = Operation(
    name="screen", processing_id="screeninterferograms", title="Screen interferograms (step 0)",
    help="rank interferograms by coherence and phase noise", group="Workspace",
    description="One block-wise pass over each interferogram and its coherence map: mean and "
                "median coherence, share below 0.2 and below a chosen threshold, valid share, "
                "phase residue density, and a 0-1 usable score naming its weakest term. "
                "Optionally builds external overviews (.ovr) so QGIS draws large rasters "
                "fast. Exit status 1 when some interferograms could not be screened.",
    params=(
        Param("ifgdir", INPUT_FOLDER, "Workspace or folder of interferograms",
              "a workspace or a folder of interferograms", positional=True,
              processing_name="FOLDER"),
        Param("csv", OUTPUT_FILE, "Screening table (CSV)", "write the table here",
              suffixes=CSV, optional=True),
        Param("threshold", FLOAT, "Coherence threshold", "coherence threshold", default=0.2,
              minimum=0.0, maximum=1.0),
        Param("overviews", BOOL, "Build overviews",
              "also build external overviews (.ovr) where missing"),
    ),
    tables=(TableSpec("OUTPUT", "Screening", _fields),),
    runner=run, shows_progress=True)
