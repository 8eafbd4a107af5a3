"""The dock's progress and status lines: how far the triage is, the interferogram on show and
who else has it open (core.labels.presence, through the session), what the workspace holds,
and every message of the dock (the status line, and the message bar for what matters)."""
from __future__ import annotations

from typing import Callable

from qgis.core import Qgis
from qgis.PyQt.QtCore import QObject
from qgis.PyQt.QtWidgets import QPushButton

from ..i18n import translate, translate_core
from .ifg_table import status_text

TR_CONTEXT = "MirageDock"  # a part of the dock's form
BAR_TITLE = "MIRAGE Labeller"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


class StatusLine(QObject):
    """Drives the form's ``progressBar``, ``progressLabel``, ``statusLabel`` and
    ``saveStatusLabel``."""

    def __init__(self, form, iface, parent=None):
        super().__init__(parent)
        self.form = form
        self.iface = iface

    def add_button(self, text: str, tip: str, slot) -> QPushButton:
        """A button at the start of the status line (the class guide, the exercise check)."""
        host = self.form.statusLabel.parentWidget()
        button = QPushButton(text, host)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        host.layout().insertWidget(1, button)
        return button

    def bind(self, session) -> None:
        session.presenceChanged.connect(lambda: self.update_progress(session))

    def say(self, text: str, level=Qgis.MessageLevel.Info) -> None:
        """Information on the status lines (and briefly in the bar), warnings in the bar."""
        text = translate_core(text)  # a sentence of core (Msg) in the user's language
        bar = self.iface.messageBar()
        if level in (Qgis.MessageLevel.Success, Qgis.MessageLevel.Info):
            self.form.saveStatusLabel.setText(text)
            self.form.statusLabel.setText(text)
            if level == Qgis.MessageLevel.Info:
                bar.pushMessage(BAR_TITLE, text, level=level, duration=4)
            return
        bar.pushMessage(BAR_TITLE, text, level=level, duration=10)

    def offer_salvage(self, why: str, repair: Callable[[], bool]):
        """A message-bar line for a label file that cannot be read whole, with the repair on
        a button (``repair()`` True: done, the line goes); returns the line's widget."""
        bar = self.iface.messageBar()
        widget = bar.createMessage(BAR_TITLE, why)
        button = QPushButton(_tr("Keep the readable labels (backup first)"), widget)
        button.setObjectName("salvageButton")

        def clicked():
            if repair():
                bar.popWidget(widget)

        button.clicked.connect(clicked)
        widget.layout().addWidget(button)
        bar.pushWidget(widget, Qgis.MessageLevel.Critical)
        return widget

    def note(self, text: str) -> None:
        """On the status line only (the bar said it already, or it is the state of things)."""
        self.form.statusLabel.setText(text)

    def show_workspace(self, workspace) -> None:
        """What was opened: the number of interferograms, a missing DEM, the first problems."""
        n = len(workspace.interferograms)
        status = _tr("1 interferogram") if n == 1 else _tr("{n} interferograms").format(n=n)
        if workspace.dem is None:
            status += "; " + _tr("no DEM (dem/dem.tif)")
        if workspace.problems:
            status += "; " + _tr("{n} problem(s): {first}").format(
                n=len(workspace.problems),
                first="; ".join(translate_core(p) for p in workspace.problems[:3]))
            self.form.statusLabel.setToolTip("\n".join(translate_core(p)
                                                       for p in workspace.problems))
        self.form.statusLabel.setText(status)

    def show_screening(self, percent: float) -> None:
        self.form.progressLabel.setText(_tr("screening interferograms… {percent:.0f}%").format(
            percent=percent))

    def clear_progress(self) -> None:
        self.form.progressBar.setValue(0)
        self.form.progressLabel.setText("")

    def update_progress(self, session) -> None:
        """Triaged / labelled / labels, this one's decision and labels, who else is on it."""
        if session is None:
            return
        f = self.form
        triaged, labelled, n_labels, total = session.progress()
        f.progressBar.setMaximum(max(total, 1))
        f.progressBar.setValue(triaged)
        here = ""
        cur = session.current
        if cur is not None:
            here = _tr(" · this one: {decision}, {n} label(s)").format(
                decision=status_text(session.state.decision(cur.label_stem)),
                n=len(session.labels()))
            others = session.others_here()
            if others:
                here += _tr(" · also open by {who}").format(who=", ".join(
                    _tr("{user}@{host} since {time}").format(
                        user=p.user, host=p.host, time=f"{p.since.astimezone():%H:%M}")
                    for p in others))
        f.progressLabel.setText(_tr("{triaged}/{total} triaged · {labelled} labelled · "
                                    "{n} labels").format(
            triaged=triaged, total=total, labelled=labelled, n=n_labels) + here)
