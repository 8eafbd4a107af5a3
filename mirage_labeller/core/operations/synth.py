"""synth: a synthetic MIRAGE-style workspace (core.synthetic.generator).

The size is 300-20000 pixels per side on every front end (the toolbox stopped at 8000, the
command line has always allowed 20000): below 300 px the planted bodies find no room; above a
few thousand the run needs gigabytes of memory (it grows with the square of the size), which
is the user's call, not a reason for two limits.
"""
from __future__ import annotations

from pathlib import Path

from ..base.errors import InputError
from .base import Operation, checked_output
from .params import BOOL, CHOICE, FLOAT, INT, OUTPUT_FOLDER, Param
from .result import Result, ValueSpec

_REGIONS = {"alps": "Alps", "apennines": "Apennines"}  # core.labels.classes.REGIONS


def run(p, progress) -> Result:
    from ..base.outputs import OutputFiles
    from ..synthetic.generator import SynthConfig, build_workspace

    out = checked_output(p["outdir"], folder=True)
    if out.exists() and any(out.iterdir()) and not p["force"]:
        raise InputError(f"{out}: folder is not empty (use --force to write into it)")
    clean = p["clean"]
    files = OutputFiles()
    with files:  # written beside, moved in at the end: complete or absent
        config = SynthConfig(out_dir=str(files.temp(out, folder=True)), seed=p["seed"],
                             region=_REGIONS[p["region"]], size=p["size"],
                             n_interferograms=p["interferograms"], noise=not clean,
                             atmosphere=not clean, artefacts=not clean,
                             box_jitter=p["jitter"], class_conflicts=p["conflicts"])
        truth = build_workspace(config, progress.part(0.0, 0.9 if p["quicklook"] else 1.0))
    result = Result()
    result.files["outdir"] = out
    n_labels = sum(r["n_labels"] for r in truth["interferograms"])
    result.values["N_LABELS"] = n_labels
    result.say(f"{out}: {len(truth['interferograms'])} interferograms, "
               f"{len(truth['bodies'])} planted bodies, {n_labels} labels "
               f"({truth['region']}, seed {truth['seed']})")
    if truth["not_placed"]:
        result.note(f"{truth['not_placed']} of the bodies asked for found no room in "
                    f"{p['size']} x {p['size']} pixels")
    if p["quicklook"]:
        from ..interferograms.quicklook import render_quicklook
        from ..labels.store import LabelStore

        store = LabelStore(out / "labels")
        records = truth["interferograms"]
        for k, rec in enumerate(records):
            progress.check()
            progress(0.9 + 0.1 * k / len(records), f"quick-look {rec['stem']}")
            png = render_quicklook(out / rec["file"], out / "quicklook" / f"{rec['stem']}.png",
                                   out / rec["coherence"], store.read(rec["stem"]).labels,
                                   title=f"{rec['ifg']}  Bt={rec['bt']} d  Traj={rec['traj']}")
            result.files[f"quicklook_{rec['stem']}"] = Path(png)
            result.say(f"quick-look: {png}")
    return result


OPERATION = Operation(
    name="synth", processing_id="syntheticworkspace", title="Create synthetic workspace",
    help="build a synthetic MIRAGE-style workspace", group="Workspace",
    description="Write a synthetic workspace in OUTDIR: wrapped interferograms (EPSG:32632, "
                "15 m) on ascending and descending tracks at several baselines, coherence "
                "maps, a DEM, reference labels of the planted signals and truth.json. Signals "
                "move downslope, are projected on the line of sight and wrapped with the "
                "Sentinel-1 wavelength; deterministic for a seed.",
    params=(
        Param("outdir", OUTPUT_FOLDER, "Workspace folder", "the folder to write (new or empty)",
              positional=True, processing_name="OUTPUT"),
        Param("seed", INT, "Seed", "the random seed: the same seed gives the same workspace",
              default=1, minimum=0, maximum=2 ** 32 - 1),
        Param("region", CHOICE, "Region", "alps or apennines: terrain, classes and tracks",
              default="alps", choices=tuple(_REGIONS), aliases=(("apennine", "apennines"),),
              ignore_case=True),
        Param("size", INT, "Size (pixels per side)", "pixels per side, 15 m pixels",
              default=1000, minimum=300, maximum=20000),
        Param("interferograms", INT, "Number of interferograms", "how many interferograms",
              default=6, minimum=1, maximum=500),
        Param("clean", BOOL, "Deformation only (no noise, atmosphere or artefacts)",
              "no noise, atmosphere or artefacts (deformation only)"),
        Param("quicklook", BOOL, "Also write PNG quick-looks", "also write PNG quick-looks",
              advanced=True),
        Param("jitter", FLOAT, "Label edge jitter (share of the box side)",
              "move each label edge by up to this share of the box side, as different "
              "labellers would", default=0.0, minimum=0.0, maximum=0.25, advanced=True),
        Param("conflicts", INT, "Class conflicts",
              "give this many movements one label of a confusable class", default=0,
              minimum=0, maximum=1000, advanced=True),
        Param("force", BOOL, "Write into a non-empty folder", "write into a non-empty folder",
              advanced=True),
    ),
    values=(ValueSpec("N_LABELS", "number", "Number of labels"),),
    runner=run, shows_progress=True)
