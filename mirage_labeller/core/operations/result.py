"""What an operation hands back, in a form every front end can show.

The command line prints ``summary()`` on stdout, the notes and errors on stderr and exits
with ``status``; Processing pushes the same lines to its log, returns ``files`` and
``values`` under its output names and writes ``tables`` to its feature sinks; the dock will
read the same object. An operation therefore never prints: what it has to say is here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

NOTE_LIMIT = 20  # notes shown of one run; the rest are counted


@dataclass(frozen=True)
class TableSpec:
    """A table an operation can return (Processing's feature sink ``name``): its fields as
    (name, "string" | "int" | "float"), declared before the run so the sink can be made;
    ``fields`` may be a function (the columns live in a core module not loaded for --help).
    ``geometry``: None, or "polygon" for rows with bounds (xmin, ymin, xmax, ymax)."""

    name: str
    title: str
    fields: Union[Tuple[Tuple[str, str], ...], Callable[[], Sequence[Tuple[str, str]]]]
    geometry: Optional[str] = None

    def field_list(self) -> List[Tuple[str, str]]:
        return list(self.fields() if callable(self.fields) else self.fields)


@dataclass(frozen=True)
class ValueSpec:
    """A number or text an operation returns (Processing's output ``name``)."""

    name: str
    kind: str  # "number" or "string"
    title: str


@dataclass
class Table:
    """Rows for a ``TableSpec``: each row a list in the spec's field order; ``bounds`` one
    (xmin, ymin, xmax, ymax) or None per row when the spec has a geometry, in ``crs``."""

    rows: List[List[Any]] = field(default_factory=list)
    bounds: List[Optional[Tuple[float, float, float, float]]] = field(default_factory=list)
    crs: Optional[str] = None  # the rows' own (e.g. the labels'); None: no CRS known


@dataclass
class Result:
    """``lines``: the report (stdout); ``notes``: what readers assumed or normalised, said
    once each; ``errors``: failures that did not stop the run (a file that could not be
    screened); ``files``: name -> path written (a parameter's name for its output, else a name
    of its own, e.g. morphometry's ``slope``); ``values``: numbers and texts for Processing's
    outputs; ``tables``: rows for its feature sinks; ``status``: the exit status (audit: 1
    when there is an error); ``data``: the domain object the run produced (the audit's
    report, the agreement), for a front end that shows more than lines (the dock)."""

    lines: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    files: Dict[str, Path] = field(default_factory=dict)
    values: Dict[str, Any] = field(default_factory=dict)
    tables: Dict[str, Table] = field(default_factory=dict)
    status: int = 0
    data: Any = None

    def say(self, line: str = "") -> None:
        self.lines.append(str(line))

    def note(self, *lines) -> None:
        self.notes.extend(x if isinstance(x, str) else str(x) for x in lines)  # Msg stays

    def wrote(self, name: str, path, say: bool = True) -> Path:
        """Record an output file (and say ``written: PATH``, as every command does)."""
        self.files[name] = Path(path)
        if say:
            self.say(f"written: {path}")
        return Path(path)

    def summary(self) -> List[str]:
        """The lines a command line prints."""
        return list(self.lines)

    def note_lines(self, limit: int = NOTE_LIMIT) -> List[str]:
        """The notes, each once, the first ``limit`` of them and a count of the rest (a
        workspace of 500 files with one problem each must not bury the result)."""
        seen = list(dict.fromkeys(self.notes))
        lines = seen[:limit]
        if len(seen) > limit:
            lines.append(f"... and {len(seen) - limit} more notes")
        return lines
