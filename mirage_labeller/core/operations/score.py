"""score: students' labels against an exercise's key (core.teaching.scoring).

Each student is a folder of label files or a workspace whose labels/ holds them, named after
the folder (the workspace for labels/), or after the whole path where two would share a name.
A key that cannot be read whole stops the run: a damaged key would mark every student wrong.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

from ..base.errors import InputError
from .base import Operation, checked_output
from .params import BOOL, CSV, FLOAT, INPUT_FOLDER, OUTPUT_FILE, Param
from .result import Result


def student_folders(paths) -> List[Tuple[str, Path]]:
    """(name, label folder) per student."""
    found = []
    for given in paths:
        folder = Path(given)
        if not folder.is_dir():
            raise InputError(f"{given}: no such folder of labels")
        if not any(folder.glob("*.shp")) and (folder / "labels").is_dir():
            folder = folder / "labels"
        name = folder.parent.name if folder.name == "labels" else folder.name
        found.append((name or str(folder), folder))
    names = [n for n, _ in found]
    return [(str(Path(given)) if names.count(n) > 1 else n, folder)
            for given, (n, folder) in zip(paths, found)]


def run(p, progress) -> Result:
    import tempfile

    from ..labels.store import LabelFileError, read_label_file
    from ..teaching.exercise import exercise_min_iou, extract_reference, is_exercise
    from ..teaching.scoring import score_class, write_scoreboard

    if not is_exercise(p["exercise"]):
        raise InputError(f"{p['exercise']}: not an exercise pack (no .mirage/exercise/)")
    students = student_folders(p["students"])
    checked_output(p["csv"], [p["exercise"]], [f for _, f in students], suffixes=CSV)
    min_iou = p["min_iou"] if p["min_iou"] is not None else exercise_min_iou(p["exercise"])
    with tempfile.TemporaryDirectory(prefix="mirage-key-") as tmp:
        key = extract_reference(p["exercise"], tmp)
        for part in sorted(Path(key).glob("*.shp")):  # a key that cannot be read whole
            try:
                read_label_file(part)
            except LabelFileError as exc:
                raise InputError(f"{p['exercise']}: its exercise key is damaged "
                                 f"({part.name}: {str(exc).split(': ', 1)[-1][:200]}); ask "
                                 "the teacher for the pack again") from None
        progress.check()
        scores = score_class(students, key, min_iou)
    result = Result()
    result.note(*(n for s in scores.values() for n in s.file_notes))
    result.say(f"matching boxes at IoU >= {min_iou:g}")
    for name, score in sorted(scores.items()):
        result.say(f"{name}: {score.summary()}")
        if p["verbose"]:
            for m in score.mistakes:
                result.say(f"  - {m.kind}: {m.feedback}")
            for note in score.notes:
                result.say(f"  - note: {note}")
    if p["csv"]:
        write_scoreboard(scores, p["csv"])
        result.wrote("csv", p["csv"])
    return result


OPERATION = Operation(
    name="score", processing_id="score", title="Score students against an exercise's key",
    help="score students' labels against an exercise's key", group="Workshops",
    description="Found, missed, false alarms, artefacts called movements, class confusions "
                "and feedback per student; a scoreboard CSV for the class.",
    params=(
        Param("exercise", INPUT_FOLDER, "Exercise pack", "the exercise pack", positional=True),
        Param("students", INPUT_FOLDER, "Students' label folders",
              "each student's label folder (or workspace)", positional=True, many=True),
        Param("csv", OUTPUT_FILE, "Scoreboard (CSV)", "the scoreboard", suffixes=CSV,
              optional=True),
        Param("min_iou", FLOAT, "IoU that counts as the same signal",
              "IoU that counts as the same signal (default: the pack's, else 0.2; experts "
              "agree at 0.2-0.4)", optional=True, minimum=0.01, maximum=1.0),
        Param("verbose", BOOL, "List the feedback", "print the feedback", advanced=True),
    ),
    runner=run)
