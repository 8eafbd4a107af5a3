"""The one task runner of the GUI (gui/tasks.py): progress reaches the GUI thread, a cancel
(core's Cancelled) is no error, an error is one message-bar line, a superseded task's result
is dropped."""
import threading
import time

import pytest
from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QElapsedTimer

from mirage_labeller.core.base.errors import MirageError
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace
from mirage_labeller.gui.tasks import TaskRunner

TIMEOUT_MS = 20000


def until(condition, timeout_ms=TIMEOUT_MS) -> bool:
    timer = QElapsedTimer()
    timer.start()
    while not condition() and timer.elapsed() < timeout_ms:
        QCoreApplication.processEvents()
        time.sleep(0.002)
    return condition()


def settle(ms=300):
    """Queued signals of tasks that just ended still arrive."""
    until(lambda: False, ms)


def no_task_named(description):
    return lambda: not any(t.description() == description
                           for t in QgsApplication.taskManager().tasks())


class Calls:
    """What the runner called back, and on which thread."""

    def __init__(self):
        self.done, self.errors, self.cancelled, self.ended, self.progress = [], [], [], [], []
        self.threads = set()

    def _note(self):
        self.threads.add(threading.current_thread() is threading.main_thread())

    def kwargs(self):
        return dict(on_error=lambda text: (self._note(), self.errors.append(text)),
                    on_cancelled=lambda: (self._note(), self.cancelled.append(True)),
                    on_end=lambda: (self._note(), self.ended.append(True)),
                    on_progress=lambda p: (self._note(), self.progress.append(p)))

    def on_done(self, result):
        self._note()
        self.done.append(result)


def test_progress_and_the_result_reach_the_gui_thread(qgis_app):
    runner, calls = TaskRunner("test: counting"), Calls()

    def work(progress):
        for k in range(5):
            progress.check()
            progress((k + 1) / 5, f"step {k}")
            time.sleep(0.03)
        return "counted"

    runner.run(work, calls.on_done, **calls.kwargs())
    assert runner.busy()
    assert until(lambda: not runner.busy())
    settle()
    assert calls.done == ["counted"] and calls.ended == [True]
    assert calls.errors == [] and calls.cancelled == []
    assert calls.progress and max(calls.progress) == pytest.approx(100.0)
    assert calls.progress == sorted(calls.progress)
    assert calls.threads == {True}  # every call back on the GUI thread


def test_a_cancel_is_no_error(qgis_app, qgis_iface):
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    runner, calls = TaskRunner("test: endless"), Calls()
    started = threading.Event()

    def work(progress):
        started.set()
        while True:  # until the user cancels: core's long loops check like this
            progress.check()
            time.sleep(0.01)

    kwargs = calls.kwargs()
    kwargs["on_error"] = lambda text: bar.pushMessage("MIRAGE", text, Qgis.MessageLevel.Critical)
    runner.run(work, calls.on_done, **kwargs)
    assert until(started.is_set)
    for task in QgsApplication.taskManager().tasks():  # the user's cancel in QGIS's task list
        if task.description() == "test: endless":
            task.cancel()
    assert until(lambda: not runner.busy())
    settle()
    assert calls.cancelled == [True] and calls.ended == [True] and calls.done == []
    assert bar.get_messages(Qgis.MessageLevel.Critical) == []
    assert bar.get_messages(Qgis.MessageLevel.Warning) == []


def test_cancel_from_the_gui_calls_nothing_back(qgis_app):
    runner, calls = TaskRunner("test: stopped"), Calls()
    started = threading.Event()

    def work(progress):
        started.set()
        while True:
            progress.check()
            time.sleep(0.01)

    runner.run(work, calls.on_done, **calls.kwargs())
    assert until(started.is_set)
    runner.cancel()  # a panel closing
    assert not runner.busy()
    assert until(no_task_named("test: stopped"))
    settle()
    assert (calls.done, calls.errors, calls.cancelled, calls.ended) == ([], [], [], [])


@pytest.mark.parametrize("error, text", [
    (MirageError.at("/data/x.tif", "not a raster", "choose another file"),
     "/data/x.tif: not a raster; choose another file"),
    (ValueError("CPLE_AppDefinedError: bad   block"), "bad block"),
])
def test_an_error_becomes_one_message_bar_line(qgis_app, qgis_iface, error, text):
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    runner, calls = TaskRunner("test: failing"), Calls()

    def work(progress):
        progress(0.5)
        raise error

    kwargs = calls.kwargs()
    kwargs["on_error"] = lambda why: bar.pushMessage("MIRAGE", f"failed: {why}",
                                                     Qgis.MessageLevel.Critical)
    runner.run(work, calls.on_done, **kwargs)
    assert until(lambda: not runner.busy())
    settle()
    assert bar.get_messages(Qgis.MessageLevel.Critical) == [f"MIRAGE:failed: {text}"]
    assert calls.done == [] and calls.cancelled == [] and calls.ended == [True]


def test_a_superseded_result_is_dropped(qgis_app):
    runner, calls = TaskRunner("test: job"), Calls()
    release, old_started, old_finished = threading.Event(), threading.Event(), threading.Event()

    def old(progress):
        old_started.set()
        release.wait(10)  # ignores the cancel: its result comes late
        old_finished.set()
        return "old"

    runner.run(old, calls.on_done, description="test: old job", **calls.kwargs())
    assert until(old_started.is_set)
    runner.run(lambda progress: "new", calls.on_done, **calls.kwargs())
    assert until(lambda: not runner.busy())
    assert calls.done == ["new"]
    release.set()
    assert until(old_finished.is_set) and until(no_task_named("test: old job"))
    settle()
    assert calls.done == ["new"] and calls.ended == [True] and calls.errors == []


def test_a_dock_job_that_fails_is_one_message(plugin, qgis_iface, tmp_path):
    """Through a real panel: deriving terrain layers from a DEM that cannot be read."""
    out = tmp_path / "ws"
    build_workspace(SynthConfig(str(out), seed=5, size=300, n_interferograms=2))
    dock = plugin.dock
    assert dock.open_workspace(str(out))
    dock.wait()
    (out / "dem" / "dem.tif").write_bytes(b"II*\x00 not a GeoTIFF any more" + bytes(64))
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    dock.terrain.derive()
    assert dock.wait(timeout_ms=60000)
    errors = bar.get_messages(Qgis.MessageLevel.Critical)
    assert len(errors) == 1 and "terrain layers not derived" in errors[0]
    assert "dem.tif" in errors[0]
    assert not dock.terrain.progress.isVisible() and dock.terrain.derive_button.isEnabled()
    assert not any((out / "dem" / f"{n}.tif").exists() for n in ("slope", "aspect"))
