"""Spell every Qt and QGIS enum member with its enum's name: ``Qt.AlignmentFlag.AlignLeft``,
not ``Qt.AlignLeft``; ``Qgis.MessageLevel.Warning``, not ``Qgis.Warning``. Qt 6 (and so
QGIS 4) dropped the unscoped forms; QGIS 3.22's PyQt5 takes both.

Finds ``Name.Member`` where ``Name`` is imported from ``qgis.*`` or ``PyQt5.*`` in the
same file and ``Member`` resolves, in the QGIS installed here, to a member of an enum nested
in that class. ``QVariant``'s types stay as they are (not a scoped enum in PyQt5). Code
inside strings (a script a test writes out) is not seen: spell it scoped by hand.

    .venv/bin/python tools/scope_qt_enums.py [--check] [PATH ...]
        (default: mirage_labeller tests tools bench)

``--check`` changes nothing and exits 1 when something is unscoped
(tests/tools/test_qt_enums.py runs it).
"""
from __future__ import annotations

import argparse
import ast
import importlib
import os
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATHS = ("mirage_labeller", "tests", "tools", "bench")
SKIP_CLASSES = {"QVariant"}
QT_MODULES = ("qgis", "PyQt5")


def _imported_classes(tree: ast.AST) -> Dict[str, Tuple[str, str]]:
    """Local name -> (module, name) of every ``from qgis... import X`` in the file."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] in QT_MODULES:
            for alias in node.names:
                out[alias.asname or alias.name] = (node.module, alias.name)
    return out


def _enum_of(cls: type, member: str) -> Optional[str]:
    """The name of the enum nested in ``cls`` that ``member`` belongs to, if any."""
    try:
        value = getattr(cls, member)
    except AttributeError:
        return None
    kind = type(value)
    if isinstance(value, type) or kind in (int, float, str, bool) or callable(value):
        return None
    name = kind.__name__
    if name == member or getattr(cls, name, None) is not kind:
        return None
    try:
        same = getattr(kind, member) == value
    except AttributeError:
        return None
    return name if same else None


def unscoped(path: Path) -> Iterator[Tuple[int, int, int, str, str]]:
    """(line, start col, end col, old text, new text) of each unscoped member in ``path``."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    classes = _imported_classes(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in classes and node.value.id not in SKIP_CLASSES):
            continue
        module, name = classes[node.value.id]
        try:
            cls = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        if not isinstance(cls, type):
            continue
        enum = _enum_of(cls, node.attr)
        if enum:
            old = f"{node.value.id}.{node.attr}"
            yield (node.lineno, node.col_offset, node.end_col_offset, old,
                   f"{node.value.id}.{enum}.{node.attr}")


def python_files(paths: List[str]) -> Iterator[Path]:
    for p in paths:
        path = (ROOT / p).resolve()
        if path.is_dir():
            yield from sorted(f for f in path.rglob("*.py") if "__pycache__" not in f.parts)
        else:
            yield path


def fix(path: Path, found) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    for line, start, end, old, new in sorted(found, reverse=True):
        text = lines[line - 1]
        assert text[start:end] == old, (path, line, text[start:end], old)
        lines[line - 1] = text[:start] + new + text[end:]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if any")
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    total = 0
    for path in python_files(args.paths):
        found = list(unscoped(path))
        total += len(found)
        shown = path.relative_to(ROOT) if ROOT in path.parents else path
        for line, _, _, old, new in found:
            print(f"{shown}:{line}: {old} -> {new}")
        if found and not args.check:
            fix(path, found)
    print(f"{total} unscoped enum member(s)" + ("" if args.check else " scoped"),
          file=sys.stderr)
    return 1 if args.check and total else 0


if __name__ == "__main__":
    sys.exit(main())
