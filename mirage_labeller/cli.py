"""``python -m mirage_labeller``: the plugin's operations without QGIS.

The subcommands are built from the operation declarations (core.operations): their
arguments, defaults, ranges and choices are the ones Processing offers, and a command runs the
very ``run`` the toolbox and the dock run. This module only translates: words into params, the
progress into one line on stderr, the result into printed lines and an exit status, and the
error family into one readable line on stderr with exit status 1 (2 for a bad command line),
never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from .core.base.errors import MirageError
from .core.operations import OPERATIONS, Operation, Param
from .core.operations.params import BOOL, BOX, LISTS


class CliError(MirageError):
    """A failure to report as one line, without a traceback."""


_PROGRESS_LINE = {"open": False}  # a progress line waits for its end of line


def _progress_printer(quiet: bool):
    """A one-line progress display on stderr, silent with --quiet."""
    def progress(fraction: float, message: str) -> None:
        if not quiet:
            print(f"\r[{fraction:4.0%}] {str(message)[:60]:<60}", end="", file=sys.stderr,
                  flush=True)
            _PROGRESS_LINE["open"] = True
    return progress


def _end_progress() -> None:
    if _PROGRESS_LINE["open"]:
        print(file=sys.stderr)
        _PROGRESS_LINE["open"] = False


def _word_type(param: Param):
    """argparse's type for one word: the declaration's own parse (its range, its choices),
    so a bad value is a usage error naming the option, before any work."""
    def parse(text: str):
        try:
            return param.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def _help(param: Param) -> str:
    text = param.help
    if param.range_text and param.kind not in LISTS:
        text += f" ({param.range_text})"
    if param.default not in (None, False, ()) and param.kind != BOOL:
        shown = (",".join(str(v) for v in param.default) if param.is_list
                 else str(param.default))
        text += f" (default {shown})"
    return text.replace("%", "%%")  # argparse formats help with %


def _add_argument(target, param: Param) -> None:
    kwargs = {"help": _help(param)}
    if param.kind == BOOL:
        kwargs["action"] = "store_true"
    else:
        kwargs["type"] = _word_type(param)
        if param.choices and not param.is_list:
            kwargs["choices"] = param.choices
        if param.kind == BOX or param.count and not param.separator:
            kwargs["nargs"] = param.count
        elif param.many and not param.separator:
            kwargs["nargs"] = "+"
        if param.metavar:
            kwargs["metavar"] = (",".join(param.metavar) if param.separator
                                 else param.metavar)
    if param.positional:
        target.add_argument(param.name, **kwargs)
        return
    kwargs["dest"] = param.name
    if param.kind != BOOL:
        kwargs["default"] = (list(param.default) if isinstance(param.default, tuple)
                             else param.default)
        if param.required and not param.one_of:
            kwargs["required"] = True
    target.add_argument(param.cli_flag, **kwargs)


def _add_command(sub, op: Operation) -> None:
    p = sub.add_parser(op.name, help=op.help, description=op.description)
    groups = {}
    for param in op.params:
        target = p
        if param.one_of:
            if param.one_of not in groups:
                groups[param.one_of] = p.add_mutually_exclusive_group(required=True)
            target = groups[param.one_of]
        _add_argument(target, param)
    if op.shows_progress:
        p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=lambda args, op=op: run_command(op, args))


def run_command(op: Operation, args) -> int:
    """Run ``op`` with the parsed words; print its report, notes and errors."""
    from .core.base.progress import Progress

    params = {p.name: getattr(args, p.name) for p in op.params}
    quiet = getattr(args, "quiet", False) or not op.shows_progress
    result = op.run(params, Progress(_progress_printer(quiet)))
    _end_progress()
    for line in result.note_lines():
        print(f"note: {line}", file=sys.stderr)
    for line in result.summary():
        print(line)
    for line in result.errors:
        print(f"error: {line}", file=sys.stderr)
    return result.status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mirage_labeller",
        description="MIRAGE Labeller: label DInSAR wrapped-phase signals of slow mass "
                    "movements (the QGIS plugin's operations, headless).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for op in OPERATIONS:
        _add_command(sub, op)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .core.base.errors import from_os_error
    from .core.base.progress import Cancelled

    try:
        return args.func(args)
    except MirageError as exc:  # bad input or an impossible request: one line
        return _fail(f"error: {exc}")
    except ValueError as exc:  # core's checks of values name what is wrong
        return _fail(f"error: {exc}")
    except (KeyboardInterrupt, Cancelled):
        return _fail("interrupted", 130)
    except OSError as exc:  # permissions, full disk, a file where a folder should be, GDAL I/O
        return _fail(f"error: {from_os_error(exc)}")
    except Exception as exc:  # noqa: BLE001 - the last guard: never a traceback for a user
        log = _write_crash_log(args)
        return _fail(f"error: unexpected {type(exc).__name__} in {args.command}: "
                     f"{str(exc)[:300]} (details in {log})")


def _fail(line: str, status: int = 1) -> int:
    _end_progress()
    print(line, file=sys.stderr)
    return status


def _write_crash_log(args) -> str:
    """The traceback of an unexpected error, in the user's cache folder (for a bug report)."""
    import os
    import traceback

    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mirage_labeller"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "last-error.txt"
        path.write_text(f"python -m mirage_labeller {' '.join(sys.argv[1:])}\n\n"
                        + traceback.format_exc(), encoding="utf-8")
        return str(path)
    except OSError:
        return "no log: the cache folder cannot be written"
