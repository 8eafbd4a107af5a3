"""An operation: declared once, reached from the command line, Processing and the dock.

A declaration names the operation (the CLI's command, Processing's algorithm id), says what it
does, lists its parameters (``params.Param``) and what it returns besides files (Processing's
tables and values), and points to ``run(params, progress) -> Result``. The front ends only
translate: argparse words or Processing values into ``params``, ``Progress`` into their
progress bars, the ``Result`` into printed lines or Processing outputs, and the error family
into their form. Rules that used to live in a front end (which outputs are refused, where a
workspace keeps its labels, strict reading of label sets) live in ``run``, so every front end
applies them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Tuple

from ..base.errors import InputError
from ..base.outputs import check_output
from ..base.progress import Progress, ProgressLike, as_progress
from .params import BOOL, Param
from .result import Result, TableSpec, ValueSpec

Runner = Callable[[Dict[str, Any], Progress], Result]


@dataclass(frozen=True)
class Operation:
    """``name``: the CLI command; ``processing_id``: the algorithm id (kept as the toolbox
    has had it); ``title``: Processing's name for it; ``help``: one line for the command list;
    ``description``: what it does, for ``--help``, the toolbox's help and docs/cli.md;
    ``shows_progress``: a long operation (the CLI gives it a progress line and --quiet)."""

    name: str
    processing_id: str
    title: str
    help: str
    description: str
    group: str
    params: Tuple[Param, ...]
    runner: Runner
    tables: Tuple[TableSpec, ...] = ()
    values: Tuple[ValueSpec, ...] = ()
    shows_progress: bool = False

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        pnames = [p.pname for p in self.params] + [t.name for t in self.tables]
        for what, seen in (("parameter", names), ("Processing name", pnames)):
            doubles = {n for n in seen if seen.count(n) > 1}
            if doubles:
                raise ValueError(f"{self.name}: {what} {sorted(doubles)[0]} declared twice")

    @property
    def group_id(self) -> str:
        return self.group.lower().replace(" ", "")

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def complete(self, given: Mapping[str, Any]) -> Dict[str, Any]:
        """Every parameter with a value: the defaults for those left out, None for an empty
        optional one, each checked against its declaration; exactly one of each ``one_of``
        group (argparse says so itself; Processing and the dock are checked here)."""
        unknown = sorted(set(given) - {p.name for p in self.params})
        if unknown:
            raise ValueError(f"{self.name}: unknown parameter {unknown[0]!r}")
        values: Dict[str, Any] = {}
        for p in self.params:
            value = given.get(p.name, p.default)
            if value is None and p.kind == BOOL:
                value = bool(p.default)
            if value == "" or (p.is_list and value is not None and len(value) == 0
                               and p.optional):
                value = None
            if value is None and not p.optional and p.kind != BOOL:
                raise ValueError(f"{self.name}: {p.label} is required")
            values[p.name] = p.check(list(value) if p.is_list and value is not None
                                     and not isinstance(value, str) else value)
        groups: Dict[str, list] = {}
        for p in self.params:
            if p.one_of:
                groups.setdefault(p.one_of, []).append(p)
        for members in groups.values():
            given_here = [p for p in members if values[p.name] is not None]
            if len(given_here) != 1:
                raise InputError(f"give exactly one of {', '.join(p.label for p in members)}"
                                 + (f" (got {', '.join(p.label for p in given_here)})"
                                    if given_here else ""))
        return values

    def run(self, params: Mapping[str, Any], progress: ProgressLike = None) -> Result:
        """Run with ``params`` (names as declared; missing ones take their defaults)."""
        return self.runner(self.complete(params), as_progress(progress))


def checked_output(path, inputs: Iterable = (), protected: Iterable = (), folder: bool = False,
                   suffixes: Tuple[str, ...] = ()) -> Optional[Path]:
    """An output the operation may write (core.base.outputs.check_output), checked before
    any work; None when it was not asked for. Empty inputs are left out."""
    if path is None:
        return None
    return check_output(path, [i for i in inputs if i], [p for p in protected if p], folder,
                        suffixes)


def label_folder(given) -> Path:
    """The label folder of a workspace, or the folder itself: ``processes WORKSPACE`` and
    ``processes WORKSPACE/labels`` mean the same."""
    folder = Path(given)
    if (folder / "labels").is_dir() and not any(folder.glob("*.shp")):
        return folder / "labels"
    return folder


def existing_folder(given, what: str = "no such folder") -> Path:
    folder = Path(given)
    if not folder.is_dir():
        raise InputError(f"{given}: {what}")
    return folder
