"""Step 0 in the background: every interferogram of the workspace screened (core.screening,
cached in .mirage/screening.json) and, when the settings ask, given overviews so QGIS draws
large ones quickly. The table fills its columns as the results arrive."""
from __future__ import annotations

from typing import Dict

from qgis.core import Qgis
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.base.errors import MirageError
from ..core.base.progress import Cancelled
from ..core.interferograms.screening import (
    build_overviews,
    load_cache,
    save_cache,
    screen_interferogram,
)
from ..i18n import translate
from .tasks import TaskRunner

TR_CONTEXT = "MirageDock"  # a part of the dock


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


def screen_all(todo, threshold: float, overviews: bool, progress) -> Dict[str, object]:
    """label stem -> Screening, or the one-line reason it could not be screened (worker
    thread); a cancel ends it with what was screened so far."""
    out = {}
    for k, it in enumerate(todo):
        if progress.cancelled():
            break  # what is screened so far is kept (and cached)
        try:
            out[it.label_stem] = screen_interferogram(
                str(it.path), str(it.coherence) if it.coherence else None, it.meta,
                threshold, is_cancelled=progress.cancelled)
        except Cancelled:  # a cancel inside the reader
            break
        except (OSError, ValueError, MirageError) as exc:
            out[it.label_stem] = str(exc)
        if overviews:
            for path, kind in ((it.path, "phase"), (it.coherence, "coherence")):
                try:
                    if path is not None:
                        build_overviews(str(path), kind)
                except OSError:
                    pass  # a read-only folder: QGIS still draws, only slower
        progress((k + 1) / len(todo))
    return out


class Screening(QObject):
    updated = pyqtSignal()  # new results in ``results``
    progressed = pyqtSignal(float)  # percent
    message = pyqtSignal(str, int)  # text, Qgis.MessageLevel
    note = pyqtSignal(str)  # for the status line only (a cache that cannot be saved)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.results: Dict[str, object] = {}  # label stem -> core Screening
        self.runner = TaskRunner("MIRAGE: screening interferograms")

    def start(self, session) -> None:
        """Read the cache; screen what it lacks in a task."""
        self.stop()
        items = session.workspace.interferograms
        threshold = session.state.settings.coherence_threshold
        overviews = session.state.settings.build_overviews
        self.results = load_cache(session.workspace.root, items, threshold)
        todo = [it for it in items if it.label_stem not in self.results]
        self.updated.emit()
        if not todo:
            return

        def done(result) -> None:
            for stem, row in result.items():
                if isinstance(row, str):
                    self.message.emit(row, Qgis.MessageLevel.Warning)
                else:
                    self.results[stem] = row
            error = save_cache(session.workspace.root, self.results, items, threshold)
            if error:
                self.note.emit(error)
            self.updated.emit()

        self.runner.run(lambda progress: screen_all(todo, threshold, overviews, progress), done,
                        on_error=lambda why: self.message.emit(
                            _tr("Screening stopped: {why}").format(why=why),
                            Qgis.MessageLevel.Warning),
                        on_progress=self.progressed.emit)

    def busy(self) -> bool:
        return self.runner.busy()

    def stop(self) -> None:
        self.runner.cancel()
        self.results = {}
