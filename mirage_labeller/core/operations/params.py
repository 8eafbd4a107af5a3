"""The parameters of an operation, declared once for every front end.

A ``Param`` says what a value is (its kind), its default, its range or choices, whether it
may be left out, and how the command line spells it (positional, ``--flag``) and Processing
names it (``FOLDER``, ``THRESHOLD``...). The command line builds its argparse arguments and
Processing its ``QgsProcessingParameter*`` from it, and both check values with the same
``parse``/``check`` below, so a limit or a choice cannot differ between them. Pure Python: the
declarations load without numpy, GDAL or QGIS (``python -m mirage_labeller --help`` is quick).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

INPUT_FILE = "input file"
INPUT_FOLDER = "input folder"
INPUT_PATH = "input file or folder"
OUTPUT_FILE = "output file"
OUTPUT_FOLDER = "output folder"
INT = "int"
FLOAT = "float"
BOOL = "bool"
CHOICE = "choice"
STRING = "string"
NUMBERS = "list of numbers"
STRINGS = "list of strings"
BOX = "box"

KINDS = (INPUT_FILE, INPUT_FOLDER, INPUT_PATH, OUTPUT_FILE, OUTPUT_FOLDER, INT, FLOAT, BOOL,
         CHOICE, STRING, NUMBERS, STRINGS, BOX)
INPUTS = (INPUT_FILE, INPUT_FOLDER, INPUT_PATH)
OUTPUTS = (OUTPUT_FILE, OUTPUT_FOLDER)
LISTS = (NUMBERS, STRINGS, BOX)

# the endings of the files commands write (an output of another ending is refused)
PNG, CSV, HTML, GPKG = (".png",), (".csv",), (".html", ".htm"), (".gpkg",)

_WORDS = {2: "two", 3: "three", 4: "four"}


@dataclass(frozen=True)
class Param:
    """One parameter. ``name`` is the key in ``run``'s params (and the CLI's dest);
    ``title`` Processing's label; ``help`` the sentence both show.

    ``many``: several values (positional: one or more words; an option: ``--id 3 4``, or one
    comma-separated word when ``separator`` is set, ``--layers slope,twi``); ``count``: a list
    of exactly that many values (``--box X Y X Y``). ``number`` is the type of a list's items
    ("int" or "float"). ``one_of``: a group of which exactly one must be given.
    ``layer="raster"``: Processing offers the project's raster layers for an input file."""

    name: str
    kind: str
    title: str
    help: str = ""
    default: Any = None
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    choices: Tuple[str, ...] = ()
    aliases: Tuple[Tuple[str, str], ...] = ()  # (typed, choice)
    ignore_case: bool = False  # choices and aliases compared without case
    suffixes: Tuple[str, ...] = ()
    optional: bool = False
    positional: bool = False
    many: bool = False
    separator: str = ""
    count: int = 0
    number: str = FLOAT
    metavar: Tuple[str, ...] = ()
    advanced: bool = False
    flag: str = ""
    processing_name: str = ""
    one_of: str = ""
    layer: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")
        if self.positional and self.optional:
            raise ValueError(f"{self.name}: a positional parameter cannot be optional")

    # ----------------------------------------------------------------- names

    @property
    def cli_flag(self) -> str:
        """``--min-overlap`` for ``min_overlap`` unless declared otherwise (``--class``)."""
        return self.flag or "--" + self.name.replace("_", "-")

    @property
    def pname(self) -> str:
        """The Processing parameter name (``MIN_OVERLAP``), kept as the toolbox had it."""
        return self.processing_name or self.name.upper()

    @property
    def label(self) -> str:
        """How messages name it: the CLI's flag reads naturally on both front ends."""
        return self.name if self.positional else self.cli_flag

    @property
    def required(self) -> bool:
        """Whether a value must be given: not optional and no default to fall back on."""
        return not self.optional and self.default is None and self.kind != BOOL

    @property
    def is_list(self) -> bool:
        return self.kind in LISTS or self.many

    @property
    def range_text(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"{show(self.minimum)}-{show(self.maximum)}"
        if self.minimum is not None:
            return f">= {show(self.minimum)}"
        if self.maximum is not None:
            return f"<= {show(self.maximum)}"
        return ""

    # ----------------------------------------------------------------- values

    def parse(self, text: str) -> Any:
        """One word of a command line (or a Processing string) as this parameter's value;
        ValueError with the reason (the CLI shows it as a usage error)."""
        if self.kind in LISTS and self.separator:
            return self.split(text)
        if self.kind in (INT, FLOAT, NUMBERS, BOX):
            return self.check_number(self._item(text))
        if self.kind == CHOICE:
            return self.choice(text)
        return text

    def _item(self, text):
        whole = self.kind == INT or (self.kind in (NUMBERS, BOX) and self.number == INT)
        return (_whole if whole else _number)(text)

    def choice(self, text: str) -> str:
        if text in self.choices:
            return text
        folded = {c.lower(): c for c in self.choices}
        folded.update({a.lower(): c for a, c in self.aliases})
        if self.ignore_case and str(text).lower() in folded:
            return folded[str(text).lower()]
        raise ValueError(f"invalid choice: {text!r} (choose from "
                         f"{', '.join(repr(c) for c in self.choices)})")

    def split(self, text: str) -> List[Any]:
        """A list written as one word, ``0.7,0.15,0.15`` or ``3;4`` (Processing's fields)."""
        words = [w.strip() for w in str(text).replace(";", ",").split(",") if w.strip()]
        if self.kind == STRINGS:
            return self.check_count(words, text)
        try:
            values = [self._item(w) for w in words]
        except ValueError:
            raise ValueError(self._count_problem(text)) from None
        return self.check_count([self.check_number(v) for v in values], text)

    def check_count(self, values: List[Any], text: Any = None) -> List[Any]:
        if self.count and len(values) != self.count:
            raise ValueError(self._count_problem(text if text is not None else values))
        if not values and not self.optional:
            raise ValueError(f"{self.label}: give at least one value")
        return values

    def _count_problem(self, text) -> str:
        shown = text if isinstance(text, str) else ",".join(str(v) for v in text)
        what = "numbers" if self.kind != STRINGS else "names"
        if self.count:
            how = f"{_WORDS.get(self.count, self.count)} {what}"
            if self.metavar:
                how += " " + ",".join(m.lower() for m in self.metavar)
            return f"{self.label.lstrip('-')} {shown!r}: {how}"
        return f"{self.label.lstrip('-')} {shown!r}: {what}, separated by commas"

    def check_number(self, value):
        lo, hi = self.minimum, self.maximum
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            if lo is not None and hi is not None:
                raise ValueError(f"must be between {show(lo)} and {show(hi)}, got {show(value)}")
            if lo is not None:
                raise ValueError(f"must be at least {show(lo)}, got {show(value)}")
            raise ValueError(f"must be at most {show(hi)}, got {show(value)}")
        return value

    def check(self, value: Any) -> Any:
        """A value handed to ``run`` directly (the dock, a test) checked as the front ends
        check theirs: ValueError naming the parameter."""
        if value is None or (self.kind == BOOL):
            return value
        try:
            if self.kind in (INT, FLOAT):
                return self.check_number(value)
            if self.kind == CHOICE:
                return self.choice(value)
            if self.is_list and self.kind in (NUMBERS, BOX):
                values = self.split(value) if isinstance(value, str) else list(value)
                return self.check_count([self.check_number(v) for v in values])
            if self.is_list and isinstance(value, str) and self.separator:
                return self.split(value)
            if self.is_list:
                return self.check_count(list(value))
        except ValueError as exc:
            text = str(exc)
            raise ValueError(text if text.startswith(self.label.lstrip("-"))
                             else f"{self.label}: {text}") from None
        return value


def _whole(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a whole number") from None


def _number(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a number") from None


def show(value) -> str:
    """A number as a person writes it: 20000, 0.25, 4294967295 (not 4.29497e+09)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))
    return f"{value:g}"
