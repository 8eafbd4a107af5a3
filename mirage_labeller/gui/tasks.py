"""The one way the GUI runs long work: a callable in a ``QgsTask``, its result or error back
on the GUI thread.

    runner = TaskRunner("MIRAGE: screening interferograms")
    runner.run(lambda progress: screen_all(items, progress), on_done=show,
               on_error=lambda text: say(text), on_progress=bar.setValue)

``work(progress)`` runs on a worker thread with a ``core.base.progress.Progress`` wired to the
task (``progress(fraction, message)`` moves the task manager's bar, ``progress.check()`` raises
``Cancelled`` once the user cancelled; work that rather returns what it has is delivered as
done). On the GUI thread, once the work ends, exactly one of:
``on_done(result)``; ``on_error(text)`` with the error's one line (a ``MirageError``'s sentence
in the user's language); ``on_cancelled()`` when the work stopped on ``Cancelled`` (never an
error); then ``on_end()`` in all three cases. A newer ``run`` of the same runner cancels the
older task and drops whatever it still delivers (supersede); ``cancel()`` does the same without
a new run (a closing panel). Nothing of a dropped task is called back.
"""
from __future__ import annotations

import traceback
from typing import Any, Callable, Optional

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsTask

from ..core.base.errors import MirageError, clean_library_text
from ..core.base.progress import Cancelled, Progress
from ..i18n import translate_core

Work = Callable[[Progress], Any]
LOG_TAG = "MIRAGE Labeller"


def error_text(exc: BaseException) -> str:
    """One line for the message bar: a core error's sentence (translated), else the library's
    text without its internals."""
    if isinstance(exc, MirageError):
        return translate_core(exc.message)
    return clean_library_text(exc)


class _Task(QgsTask):
    """Runs ``work`` on a worker thread; ``finished`` (GUI thread) hands the outcome over."""

    def __init__(self, description: str, work: Work, deliver: Callable[["_Task"], None]):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.work = work
        self.deliver = deliver
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self.stopped = False  # ended on Cancelled (or cancelled before it started)

    def run(self) -> bool:  # worker thread
        progress = Progress(lambda fraction, _message: self.setProgress(100.0 * fraction),
                            self.isCanceled)
        try:
            progress.check()
            self.result = self.work(progress)  # returned: delivered, even if cut short
        except Cancelled:
            self.stopped = True
            return False
        except Exception as exc:  # noqa: BLE001 - every failure becomes one message
            self.error = exc
            QgsMessageLog.logMessage(f"{self.description()}: {traceback.format_exc()}",
                                     LOG_TAG, Qgis.MessageLevel.Warning)
            return False
        return True

    def finished(self, ok: bool) -> None:  # GUI thread
        if not ok and self.error is None:
            self.stopped = True
        deliver, self.deliver, self.work = self.deliver, None, None
        if deliver is not None:
            deliver(self)


class TaskRunner:
    """Runs one job at a time in a QgsTask (see the module's description)."""

    def __init__(self, description: str):
        self.description = description
        self._task: Optional[_Task] = None
        self._generation = 0

    def run(self, work: Work, on_done: Callable[[Any], None], *,
            on_error: Optional[Callable[[str], None]] = None,
            on_cancelled: Optional[Callable[[], None]] = None,
            on_end: Optional[Callable[[], None]] = None,
            on_progress: Optional[Callable[[float], None]] = None,
            description: Optional[str] = None) -> None:
        self.cancel()  # a newer run supersedes the older
        generation = self._generation

        def deliver(task: _Task) -> None:
            if generation != self._generation:
                return  # superseded or cancelled: dropped
            self._task = None
            try:
                if task.error is not None:
                    if on_error is not None:
                        on_error(error_text(task.error))
                elif task.stopped:
                    if on_cancelled is not None:
                        on_cancelled()
                else:
                    on_done(task.result)
            except Exception as exc:  # noqa: BLE001 - a slot that raises aborts QGIS (PyQt)
                QgsMessageLog.logMessage(f"{task.description()}: {traceback.format_exc()}",
                                         LOG_TAG, Qgis.MessageLevel.Critical)
                if on_error is not None:
                    on_error(error_text(exc))
            finally:
                if on_end is not None:
                    on_end()

        task = _Task(description or self.description, work, deliver)
        if on_progress is not None:
            def moved(percent: float) -> None:
                if generation == self._generation:
                    on_progress(percent)
            task.progressChanged.connect(moved)
        self._task = task
        QgsApplication.taskManager().addTask(task)

    def cancel(self) -> None:
        """Stop the running task, if any; nothing of it is called back."""
        self._generation += 1
        task, self._task = self._task, None
        if task is not None:
            try:
                task.cancel()
            except RuntimeError:  # already deleted by the task manager
                pass

    def busy(self) -> bool:
        return self._task is not None
