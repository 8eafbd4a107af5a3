"""Every user-facing operation, declared once (one module each, as rasterio's ``rio/`` has one
module per command) and reached three ways: ``python -m mirage_labeller <name>`` (cli.py builds
its subcommands from these declarations), a Processing algorithm ``mirage:<processing_id>``
(processing/algorithm.py builds one per declaration) and the dock.

Adding an operation: write ``core/operations/<name>.py`` with ``run(params, progress) ->
Result`` and ``OPERATION = Operation(...)`` declaring its parameters, add the module to
``_MODULES`` below, and run ``tools/make_cli_docs.py``; the command, the algorithm and
docs/cli.md follow, and tests/processing/test_registry.py checks they agree.
"""
from __future__ import annotations

from typing import Dict, Tuple

from . import (
    agree,
    audit,
    exercise,
    export,
    inspect,
    morphometry,
    processes,
    quicklook,
    report,
    score,
    screen,
    synth,
    terrain_check,
)
from .base import Operation, checked_output, label_folder
from .params import Param
from .result import Result, Table, TableSpec, ValueSpec

__all__ = ["OPERATIONS", "Operation", "Param", "Result", "Table", "TableSpec", "ValueSpec",
           "by_name", "by_processing_id", "checked_output", "label_folder"]

# the order of the command list and of docs/cli.md: a labelling session's order
_MODULES = (synth, inspect, quicklook, screen, morphometry, terrain_check, processes, audit,
            agree, report, export, exercise, score)

OPERATIONS: Tuple[Operation, ...] = tuple(m.OPERATION for m in _MODULES)


def by_name() -> Dict[str, Operation]:
    return {op.name: op for op in OPERATIONS}


def by_processing_id() -> Dict[str, Operation]:
    return {op.processing_id: op for op in OPERATIONS}
