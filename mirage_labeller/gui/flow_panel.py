"""The flowchart part of the dock: the five step buttons, the step's title and guidance, the
page of the step on show, and step 0's triage line, metadata problems and coherence figures.
Which step may be entered is core.labels.steps.Flow's rule; this shows it."""
from __future__ import annotations

from typing import Callable

from qgis.PyQt.QtCore import QObject

from ..core.interferograms.state import REASONS
from ..core.labels.steps import SELECT, STEPS
from ..i18n import translate, translate_core
from .ifg_table import status_text

TR_CONTEXT = "MirageDock"  # a part of the dock's form


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


class FlowPanel(QObject):
    """Drives the form's ``stepButton0..4``, ``stepStack``, the labels of step 0 and the
    buttons of the steps' pages (keep, discard, drop the candidate, checked)."""

    def __init__(self, form, run_action: Callable[[str], bool], go: Callable[[int], None],
                 parent=None):
        super().__init__(parent)
        self.form = form
        for button, action in ((form.keepButton, "keep"), (form.discardButton, "discard"),
                               (form.dropCandidateButton, "cancel"),
                               (form.morphologyButton, "morphology"),
                               (form.recurrenceButton, "recurrence")):
            button.clicked.connect(lambda _=False, a=action: run_action(a))
        self.buttons = [getattr(form, f"stepButton{i}") for i in range(len(STEPS))]
        for i, (step, button) in enumerate(zip(STEPS, self.buttons)):
            button.setMinimumWidth(34)
            button.setToolTip(f"{step.number}. {translate('Steps', step.title)}: "
                              f"{translate('Steps', step.guidance)}")
            button.clicked.connect(lambda _=False, n=i: go(n))
        for reason in REASONS:  # the state keeps the English word, whatever the language
            form.reasonCombo.addItem(_tr(reason), reason)

    def reason(self) -> str:
        """Why the interferogram is discarded (the state's English word)."""
        combo = self.form.reasonCombo
        return combo.currentData() or combo.currentText()

    def update(self, session) -> None:
        f = self.form
        flow = session.flow
        for i, button in enumerate(self.buttons):
            button.setEnabled(flow.why_not(i) is None)
            done = (i == SELECT and flow.kept is not None) or i in flow.checked
            button.setText(f"{i}✓" if done else f"{i}")
            button.setChecked(i == flow.current)
        step = STEPS[flow.current]
        f.stepTitleLabel.setText(f"{step.number}. {translate('Steps', step.title)}")
        f.guidanceLabel.setText(translate("Steps", step.guidance))
        f.stepStack.setCurrentIndex(flow.current)
        triage = session.state.triage.get(session.current.label_stem)
        if triage and triage.decision:
            why = f" ({_tr(triage.reason)})" if triage.reason else ""
            f.triageLabel.setText(f"{status_text(triage.decision).capitalize()}{why}.")
        else:
            f.triageLabel.setText(_tr("Not triaged yet."))
        meta = session.current.meta
        f.metaLabel.setText("\n".join(translate_core(p) for p in
                                      list(meta.problems) + list(meta.notes)))
        f.supplyButton.setVisible(meta.ifg is None or meta.traj is None)
        f.ifgInfoLabel.setText(_tr("IFG {ifg} · Bt {bt} d · Traj {traj} (from the "
                                   "interferogram)").format(
            ifg=meta.ifg or "?", bt=meta.bt if meta.bt is not None else "?",
            traj=meta.traj or "?"))

    def update_stats(self, session, screened, stats) -> None:
        """The coherence figures of the interferogram on show: its screening when done, else
        the quick statistics of its layers (``stats``), else that they are being read."""
        label = self.form.statsLabel
        full = screened.get(session.current.label_stem)
        if full is not None:
            label.setText(_tr(
                "Coherence mean {mean:.2f}, median {median:.2f} · {below:.0%} below 0.2 · "
                "{valid:.0%} valid · {residues:.2%} phase residues · score {score:.2f} "
                "({reason}). Kept MIRAGE set: mean 0.45, ~15 % below 0.2.").format(
                mean=full.mean_coh, median=full.median_coh, below=full.frac_coh_lt_0_2,
                valid=full.valid_frac, residues=full.residue_density, score=full.score,
                reason=translate_core(full.reason)))
        elif session.current.coherence is None:
            label.setText(_tr("No coherence map paired with this interferogram."))
        elif stats is None:
            label.setText(_tr("Coherence: reading…"))
        else:
            label.setText(_tr(
                "Coherence mean {mean:.2f} · {below:.0%} of pixels below {threshold:g} · "
                "{valid:.0%} valid (kept MIRAGE set: 0.45, ~15 %)").format(
                mean=stats.mean, below=stats.frac_below, threshold=stats.threshold,
                valid=stats.valid_frac))
