"""The dock's way to run a declared operation (core.operations): the very ``run`` the command
line and Processing call, through the one task runner.

    run_operation(self.deriving, "morphometry", {"dem": dem, "outdir": out}, on_done=show)

``on_done`` gets the operation's ``Result`` (its ``files``, ``values``, ``notes`` and, where the
dock shows more than lines, ``data``: the audit's report, the agreement); errors and cancels
reach the runner's callbacks as for any task.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from ..core.operations import by_name
from .tasks import TaskRunner


def run_operation(runner: TaskRunner, name: str, params: Mapping[str, Any],
                  on_done: Callable, **callbacks) -> None:
    """Start operation ``name`` with ``params`` (the declared names; the rest take their
    declared defaults) in ``runner``'s task."""
    operation = by_name()[name]
    given = {k: (str(v) if hasattr(v, "__fspath__") else v) for k, v in params.items()}
    callbacks.setdefault("description", f"MIRAGE: {operation.title}")
    runner.run(lambda progress: operation.run(given, progress), on_done, **callbacks)
