"""One progress and cancel protocol for every long operation.

A long operation takes ``progress``: a ``Progress``, a plain ``callable(fraction, message)``
or None, and turns it into a ``Progress`` with ``as_progress``. It reports with
``progress(fraction, message)`` (fraction 0..1 of its whole run), hands ``progress.part(lo,
hi)`` to a step that reports its own 0..1, and calls ``progress.check()`` between units of
work, which raises ``Cancelled`` once the user has asked to stop. Every front end reads the
same three things: the command line prints the fraction and message and stops on Ctrl+C,
Processing maps them to ``QgsProcessingFeedback`` (``setProgress``, ``isCanceled``), the
dock's task runner to ``QgsTask`` (``setProgress``, ``isCanceled``) - and each catches only
``Cancelled``.
"""
from __future__ import annotations

from typing import Callable, Optional, Union

ProgressFn = Callable[[float, str], None]


class Cancelled(Exception):  # noqa: N818 - a stop the user asked for, not an error
    """The user stopped a long operation: not an error; nothing is reported but the stop,
    and the operation leaves no partial output (core.base.outputs)."""

    def __init__(self, message: str = "cancelled"):
        super().__init__(message)


class Progress:
    """Where a long operation reports how far it is, and learns whether to stop."""

    def __init__(self, report: Optional[ProgressFn] = None,
                 is_cancelled: Optional[Callable[[], bool]] = None,
                 lo: float = 0.0, hi: float = 1.0):
        self._report = report
        self._is_cancelled = is_cancelled
        self.lo, self.hi = lo, hi

    def __call__(self, fraction: float, message: str = "") -> None:
        if self._report is not None:
            f = min(max(float(fraction), 0.0), 1.0)
            self._report(self.lo + (self.hi - self.lo) * f, message)

    def cancelled(self) -> bool:
        return bool(self._is_cancelled is not None and self._is_cancelled())

    def check(self) -> None:
        """Raise ``Cancelled`` when the user has asked to stop."""
        if self.cancelled():
            raise Cancelled()

    def part(self, lo: float, hi: float) -> "Progress":
        """The same progress for a step that runs over ``lo``..``hi`` of this one."""
        span = self.hi - self.lo
        return Progress(self._report, self._is_cancelled, self.lo + span * lo,
                        self.lo + span * hi)


ProgressLike = Union[Progress, ProgressFn, None]


def as_progress(progress: ProgressLike = None,
                is_cancelled: Optional[Callable[[], bool]] = None) -> Progress:
    """A ``Progress`` from what a caller handed over (an ``is_cancelled`` given as well is
    asked too)."""
    if isinstance(progress, Progress):
        if is_cancelled is None:
            return progress
        inner = progress
        return Progress(inner, lambda: inner.cancelled() or is_cancelled())
    return Progress(progress, is_cancelled)
