"""exercise: a workshop pack students open in the dock, its key hidden (core.teaching)."""
from __future__ import annotations

from .base import Operation
from .params import CHOICE, FLOAT, INPUT_FOLDER, INT, OUTPUT_FOLDER, Param
from .result import Result

DIFFICULTIES = ("easy", "medium", "hard")  # core.teaching.exercise.Difficulty.preset


def run(p, progress) -> Result:
    from ..teaching.exercise import make_exercise_from_workspace, make_synthetic_exercise

    result = Result()
    if p["source"]:
        notes = []
        pack = make_exercise_from_workspace(p["source"], p["out"], min_iou=p["min_iou"],
                                            notes=notes)
        result.note(*notes)
    else:
        pack = make_synthetic_exercise(p["out"], seed=p["seed"], difficulty=p["difficulty"],
                                       min_iou=p["min_iou"], progress=progress)
    result.files["out"] = pack
    result.say(f"exercise written: {pack} (key hidden in .mirage/exercise/)")
    return result


OPERATION = Operation(
    name="exercise", processing_id="exercise", title="Workshop exercise (key hidden)",
    help="make a workshop exercise (the key hidden)", group="Workshops",
    description="A pack students open in the dock (strict step-by-step mode), made from a "
                "labelled workspace (--from) or synthetic (seed and difficulty); its labels "
                "are hidden as the key that score compares students' labels with.",
    params=(
        Param("out", OUTPUT_FOLDER, "Exercise folder", "the pack's folder (new or empty)",
              positional=True, processing_name="OUTPUT"),
        Param("source", INPUT_FOLDER, "From a labelled workspace (else synthetic)",
              "a labelled workspace to make it from", optional=True, flag="--from"),
        Param("seed", INT, "Seed (synthetic)", "the seed of a synthetic pack", default=1,
              minimum=0, maximum=2 ** 31),
        Param("difficulty", CHOICE, "Difficulty (synthetic)", "how strong the signals and "
              "how much noise, for a synthetic pack", default="medium", choices=DIFFICULTIES),
        Param("min_iou", FLOAT, "IoU that counts as the same signal",
              "IoU that counts as the same signal when scoring this pack (default 0.2)",
              optional=True, minimum=0.01, maximum=1.0, advanced=True),
    ),
    runner=run)
