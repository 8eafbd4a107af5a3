"""The five steps of the MIRAGE labelling flowchart (paper, Fig. 2) and how they may be walked.

Strict mode (teaching) walks them in order: keep the interferogram, draw a candidate, check
morphology, optionally recurrence, then classify. Free mode (experts) allows any step at any
time; confirming a label there also marks its interferogram as kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Set, Tuple

from ..base.messages import Msg

SELECT, IDENTIFY, MORPHOLOGY, RECURRENCE, CLASSIFY = range(5)


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    title: str
    guidance: str
    optional: bool = False


STEPS: Tuple[Step, ...] = (
    Step(SELECT, "select", "Select the interferogram",
         "Keep it when clear signals outweigh decorrelated or atmosphere-dominated areas "
         "(the kept MIRAGE set: mean coherence 0.45, ~15 % of pixels below 0.2)."),
    Step(IDENTIFY, "identify", "Identify wrapped-phase signals",
         "Look for fringe patterns that stand out from the background and draw a box around "
         "a candidate."),
    Step(MORPHOLOGY, "morphology", "Check morphological consistency",
         "Compare with inventories, orthophotos, hillshade, slope, curvature: real movement "
         "fits the landform; artefacts, atmosphere and topographic residuals do not."),
    Step(RECURRENCE, "recurrence", "Check temporal recurrence (optional)",
         "If doubt remains, look for the same signal in at least two interferograms, at "
         "least of the same baseline.", optional=True),
    Step(CLASSIFY, "classify", "Classify and confirm the N-S box",
         "Choose class, signal quality and classification uncertainty; the box encloses the "
         "whole signal. Confirm saves the label."),
)


@dataclass
class Flow:
    """Progress through the steps for the current interferogram and candidate."""

    strict: bool = False
    kept: Optional[bool] = None  # step 0 decision for the current interferogram
    has_candidate: bool = False
    checked: Set[int] = field(default_factory=set)  # steps ticked for this candidate
    current: int = SELECT

    def why_not(self, step: int) -> Optional[str]:
        """None when ``step`` may be entered now, else the reason (shown to the user)."""
        if not self.strict or step == SELECT:
            return None
        if self.kept is not True:
            return Msg("keep this interferogram first (step 0)")
        if step == IDENTIFY:
            return None
        if not self.has_candidate:
            return Msg("draw a candidate box first (step 1)")
        if step in (MORPHOLOGY,):
            return None
        if MORPHOLOGY not in self.checked:
            return Msg("check the morphology first (step 2)")
        return None  # recurrence is optional: classify may follow morphology directly

    def go(self, step: int) -> Optional[str]:
        reason = self.why_not(step)
        if reason is None:
            self.current = step
        return reason

    def tick(self, step: int) -> None:
        """Mark a check done and move on: after morphology, strict mode offers the optional
        recurrence check, free mode goes straight to classification."""
        self.checked.add(step)
        if step == MORPHOLOGY:
            self.current = RECURRENCE if self.strict else CLASSIFY
        elif step == RECURRENCE:
            self.current = CLASSIFY

    def set_kept(self, kept: Optional[bool]) -> None:
        self.kept = kept
        if kept:
            self.current = max(self.current, IDENTIFY)
        elif kept is False:
            self.current = SELECT
            self.has_candidate = False
            self.checked.clear()

    def candidate_drawn(self) -> None:
        self.has_candidate = True
        if self.current < MORPHOLOGY:
            self.current = MORPHOLOGY if self.strict else CLASSIFY

    def label_confirmed(self) -> None:
        """Back to step 1 for the next candidate of the same interferogram."""
        if not self.strict and self.kept is None:
            self.kept = True
        self.has_candidate = False
        self.checked.clear()
        self.current = IDENTIFY

    def new_interferogram(self, kept: Optional[bool]) -> None:
        self.has_candidate = False
        self.checked.clear()
        self.kept = kept
        self.current = IDENTIFY if kept else SELECT
