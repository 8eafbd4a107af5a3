"""One declaration per operation, reached three ways: every declaration is a CLI subcommand and
a Processing algorithm with the same parameters, and each algorithm runs through
processing.run on a small synthetic workspace."""
import shutil

import pytest
from qgis.core import QgsApplication, QgsProcessingParameterDefinition

from mirage_labeller.core.operations import OPERATIONS, by_name
from mirage_labeller.core.operations.params import BOOL, CHOICE, FLOAT, INT, STRINGS

# the toolbox's algorithm ids before the registry: scripts and models name them
KEPT_IDS = {"agreement", "audit", "interferogrammetadata", "morphometry", "processes",
            "datasetreport", "screeninterferograms", "syntheticworkspace", "terraincheck"}


@pytest.fixture
def provider(qgis_processing):
    from mirage_labeller.processing.provider import MirageProvider

    registry = QgsApplication.processingRegistry()
    prov = MirageProvider()
    assert registry.addProvider(prov)
    yield prov
    registry.removeProvider(prov)


def _subparsers():
    from mirage_labeller.cli import build_parser

    return build_parser()._subparsers._group_actions[0].choices


def test_every_declaration_is_a_cli_command_with_the_same_parameters():
    commands = _subparsers()
    assert list(commands) == [op.name for op in OPERATIONS]
    for op in OPERATIONS:
        actions = {a.dest: a for a in commands[op.name]._actions if a.dest != "help"}
        front_end_only = {"quiet"} if op.shows_progress else set()
        assert set(actions) == {p.name for p in op.params} | front_end_only, op.name
        for p in op.params:
            action = actions[p.name]
            where = f"{op.name} {p.name}"
            assert (action.option_strings == []) == p.positional, where
            if not p.positional:
                assert action.option_strings == [p.cli_flag], where
                default = list(p.default) if isinstance(p.default, tuple) else p.default
                assert action.default == (bool(default) if p.kind == BOOL else default), where
                assert action.required == (p.required and not p.one_of), where
            if p.kind == CHOICE:
                assert tuple(action.choices) == p.choices, where
        for group in commands[op.name]._mutually_exclusive_groups:
            assert group.required
            assert {a.dest for a in group._group_actions} == {
                p.name for p in op.params if p.one_of}


def test_cli_words_are_checked_by_the_declaration():
    from mirage_labeller.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["synth", "x", "--region", "Apennine", "--size", "20000"])
    assert (args.region, args.size, args.jitter) == ("apennines", 20000, 0.0)
    args = parser.parse_args(["export", "l", "--ifg", "w", "--out", "o", "--split", "0.8,0.1,0.1"])
    assert args.split == [0.8, 0.1, 0.1] and args.chip == 640
    args = parser.parse_args(["terrain-check", "w", "i", "--box", "1", "2", "3", "4"])
    assert args.box == [1.0, 2.0, 3.0, 4.0] and args.id is None and args.cls is None
    for words in (["synth", "x", "--jitter", "0.3"], ["screen", "w", "--threshold", "1.5"],
                  ["export", "l", "--ifg", "w", "--out", "o", "--split", "0.8,0.2"]):
        with pytest.raises(SystemExit):
            parser.parse_args(words)


def test_every_declaration_is_a_processing_algorithm_with_the_same_parameters(provider):
    algorithms = {a.name(): a for a in provider.algorithms()}
    assert len(algorithms) >= len(_subparsers()) == len(OPERATIONS) == 13
    assert set(algorithms) == {op.processing_id for op in OPERATIONS}
    assert KEPT_IDS <= set(algorithms)
    for op in OPERATIONS:
        alg = algorithms[op.processing_id]
        assert alg.displayName() == op.title and alg.shortHelpString() == op.description
        names = {d.name() for d in alg.parameterDefinitions()}
        assert names == {p.pname for p in op.params} | {t.name for t in op.tables}, op.name
        assert {o.name() for o in alg.outputDefinitions()} >= {v.name for v in op.values}
        for p in op.params:
            d = alg.parameterDefinition(p.pname)
            where = f"{op.processing_id} {p.pname}"
            advanced = bool(d.flags() & QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            assert advanced == p.advanced, where
            optional = bool(d.flags() & QgsProcessingParameterDefinition.Flag.FlagOptional)
            assert optional == p.optional, where
            if p.kind in (INT, FLOAT):
                assert d.defaultValue() == p.default, where
                if p.minimum is not None:
                    assert d.minimum() == p.minimum, where
                if p.maximum is not None:
                    assert d.maximum() == p.maximum, where
            elif p.kind == BOOL:
                assert d.defaultValue() == bool(p.default), where
            elif p.kind == CHOICE:
                assert tuple(d.options()) == p.choices, where
                assert p.choices[d.defaultValue()] == p.default, where
            elif p.kind == STRINGS and p.choices:
                assert tuple(d.options()) == p.choices, where
                assert [p.choices[i] for i in d.defaultValue()] == list(p.default), where


def test_the_declarations_agree_with_core():
    from mirage_labeller.core.dataset import agreement, export, processes
    from mirage_labeller.core.interferograms.screening import CSV_COLUMNS
    from mirage_labeller.core.labels.classes import REGIONS
    from mirage_labeller.core.operations import agree as agree_op
    from mirage_labeller.core.operations import exercise as exercise_op
    from mirage_labeller.core.operations import export as export_op
    from mirage_labeller.core.operations import processes as processes_op
    from mirage_labeller.core.operations import synth as synth_op
    from mirage_labeller.core.teaching.exercise import Difficulty

    assert (export_op.FORMATS, export_op.RECIPES, export_op.IMAGE_FORMATS) == (
        export.FORMATS, export.RECIPES, export.IMAGE_FORMATS)
    assert (processes_op.MIN_OVERLAP, processes_op.MAX_AREA_RATIO) == (
        processes.MIN_OVERLAP, processes.MAX_AREA_RATIO)
    assert agree_op.DEFAULT_MIN_IOU == agreement.DEFAULT_MIN_IOU
    assert tuple(synth_op._REGIONS.values()) == REGIONS
    for name in exercise_op.DIFFICULTIES:
        assert Difficulty.preset(name).name == name
    screen = by_name()["screen"].tables[0]
    assert [n for n, _ in screen.field_list()] == list(CSV_COLUMNS)


@pytest.fixture(scope="module")
def small_workspace(tmp_path_factory):
    from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace

    out = tmp_path_factory.mktemp("registry") / "ws"
    truth = build_workspace(SynthConfig(str(out), seed=24, size=300, n_interferograms=3))
    return out, truth


def test_each_algorithm_runs_through_processing(provider, small_workspace, tmp_path):
    """Every algorithm of the toolbox on one small workspace, in the order of a session
    (morphometry first, so the terrain check has layers); each writes what it says."""
    import processing

    from mirage_labeller.core.labels.store import LabelStore

    src, truth = small_workspace
    ws = tmp_path / "ws"
    shutil.copytree(src, ws)
    store = LabelStore(ws / "labels")
    stem = max(store.stems(), key=store.count)
    label = store.read(stem).labels[0]
    tif = ws / "interferograms" / f"{stem}.tif"
    coh = next((ws / "coherence").glob(f"{stem[:-len('.diff_pha')]}*.tif"))
    run, done = processing.run, set()

    def ran(algorithm, params):
        done.add(algorithm)
        return run(f"mirage:{algorithm}", params)

    res = ran("syntheticworkspace", {"SEED": 5, "SIZE": 300, "INTERFEROGRAMS": 1,
                                     "OUTPUT": str(tmp_path / "synth")})
    assert (tmp_path / "synth" / "truth.json").is_file() and res["N_LABELS"] >= 0
    res = ran("interferogrammetadata", {"INPUT": [str(tif), str(ws)]})
    assert res["IFG"] == label.ifg
    res = ran("quicklook", {"INTERFEROGRAM": str(tif), "COHERENCE": str(coh),
                            "LABELS": str(ws / "labels" / f"{stem}.shp"),
                            "OUTPUT": str(tmp_path / "q.png")})
    assert (tmp_path / "q.png").stat().st_size > 1000 and res["OUTPUT"].endswith("q.png")
    res = ran("screeninterferograms", {"FOLDER": str(ws), "CSV": str(tmp_path / "s.csv"),
                                       "OUTPUT": "memory:"})
    assert res["OUTPUT"].featureCount() == 3 and (tmp_path / "s.csv").is_file()
    res = ran("morphometry", {"DEM": str(ws / "dem" / "dem.tif"), "LAYERS": [1, 2],
                              "OUTPUT": str(ws / "dem")})
    assert (ws / "dem" / "slope.tif").is_file() and res["ASPECT"].endswith("aspect.tif")
    res = ran("terraincheck", {"WORKSPACE": str(ws), "INTERFEROGRAM": stem,
                               "IDS": str(label.id), "PNG": str(tmp_path / "t.png"),
                               "OUTPUT": "memory:"})
    assert {f["layer"] for f in res["OUTPUT"].getFeatures()} == {"slope", "aspect"}
    assert (tmp_path / "t.png").is_file()
    res = ran("processes", {"FOLDER": str(ws), "OUTPUT": str(tmp_path / "p.gpkg")})
    assert (tmp_path / "p.gpkg").is_file() and res["N_LABELS"] == sum(
        r["n_labels"] for r in truth["interferograms"])
    res = ran("audit", {"FOLDER": str(ws / "labels"), "WORKSPACE": str(ws),
                        "GPKG": str(tmp_path / "f.gpkg"), "OUTPUT": "memory:"})
    assert res["ERRORS"] == 0 and (tmp_path / "f.gpkg").is_file()
    other = tmp_path / "b"
    shutil.copytree(ws / "labels", other, ignore=shutil.ignore_patterns(".mirage*"))
    res = ran("agreement", {"A": str(ws / "labels"), "B": str(other),
                            "CSV": str(tmp_path / "a.csv"), "OUTPUT": "memory:"})
    assert res["KAPPA"] == pytest.approx(1.0) and (tmp_path / "a.csv").is_file()
    res = ran("datasetreport", {"FOLDER": str(ws / "labels"), "WORKSPACE": str(ws),
                                "OUTPUT": str(tmp_path / "r.html")})
    assert (tmp_path / "r.html").is_file() and any(k.startswith("CSV_") for k in res)
    res = ran("export", {"FOLDER": str(ws / "labels"), "WORKSPACE": str(ws), "CHIP": 64,
                         "OUTPUT": str(tmp_path / "y")})
    assert (tmp_path / "y" / "manifest.csv").is_file() and res["CHIPS"] > 0
    res = ran("exercise", {"SOURCE": str(ws), "OUTPUT": str(tmp_path / "pack")})
    assert (tmp_path / "pack" / ".mirage" / "exercise" / "reference.zip").is_file()
    res = ran("score", {"EXERCISE": str(tmp_path / "pack"), "STUDENTS": [str(ws)],
                        "CSV": str(tmp_path / "board.csv")})
    board = (tmp_path / "board.csv").read_text().splitlines()
    assert board[1].startswith("ws,") and res["CSV"].endswith("board.csv")
    assert done == {op.processing_id for op in OPERATIONS}


def test_processing_says_what_the_command_line_says(provider, small_workspace, tmp_path):
    """The error family reaches Processing with the CLI's text; a cancel stops a synth."""
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    src, _ = small_workspace
    with pytest.raises(QgsProcessingException, match="lies inside the label folder"):
        processing.run("mirage:processes", {"FOLDER": str(src),
                                            "OUTPUT": str(src / "labels" / "p.gpkg")})
    with pytest.raises(QgsProcessingException, match="give exactly one of"):
        processing.run("mirage:terraincheck", {"WORKSPACE": str(src), "INTERFEROGRAM": "x",
                                               "OUTPUT": "memory:"})
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    out = tmp_path / "cancelled"
    with pytest.raises(QgsProcessingException, match="cancelled"):
        processing.run("mirage:syntheticworkspace", {"SIZE": 300, "OUTPUT": str(out)},
                       feedback=feedback)
    assert not out.exists() or not any(out.iterdir())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_synth_stops_between_interferograms(tmp_path):
    from mirage_labeller.core.base.progress import Cancelled, Progress

    seen = []

    def report(fraction, message):
        seen.append(message)

    progress = Progress(report, lambda: sum(m.startswith("interferogram") for m in seen) >= 2)
    with pytest.raises(Cancelled):
        by_name()["synth"].run({"outdir": str(tmp_path / "ws"), "size": 300,
                                "interferograms": 4}, progress)
    assert sum(m.startswith("interferogram") for m in seen) == 2
    assert not (tmp_path / "ws").exists() and not list(tmp_path.iterdir())
