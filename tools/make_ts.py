"""Write or update i18n/mirage_labeller_<lang>.ts: every translatable string of the .ui files
(context = the form's class) and of ``_tr("...")`` calls in the GUI (context = the module's
``TR_CONTEXT``), keeping the translations already in the file. Translators then edit the
.ts with Qt Linguist; ``make translations`` builds the .qm QGIS loads.

Usage: /usr/bin/python3 tools/make_ts.py [it]
"""
import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ui_strings():
    for ui in sorted((ROOT / "ui").glob("*.ui")):
        tree = ET.parse(ui)
        context = tree.getroot().findtext("class")
        for s in tree.iter("string"):
            if s.text and s.get("notr") != "true" and not s.text.strip().isdigit() \
                    and not s.text.startswith("font-"):
                yield context, s.text


def python_strings():
    for path in sorted((ROOT / "mirage_labeller").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        context = None
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "TR_CONTEXT" for t in node.targets):
                context = ast.literal_eval(node.value)
        if context is None:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_tr", "_N") and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                yield context, node.args[0].value


def step_strings():
    """Titles and guidance of the five steps (core/labels/steps.py, shown by the dock)."""
    tree = ast.parse((ROOT / "mirage_labeller" / "core" / "labels" / "steps.py").read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Step":
            for arg in node.args[2:4]:
                yield "Steps", ast.literal_eval(arg)


def core_strings():
    """Sentences core writes as ``Msg("...")`` (feedback, warnings, reasons) and the class
    vocabulary they name (full names, regions, shapes, textures): the GUI translates them
    in the "core" context (i18n.translate_core)."""
    for path in sorted((ROOT / "mirage_labeller" / "core").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Msg"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                yield "core", node.args[0].value
    sys.path.insert(0, str(ROOT))
    from mirage_labeller.core.labels.classes import CLASSES

    for cls in CLASSES.values():
        for word in (cls.name, cls.region, cls.shape, cls.texture):
            if word and word != "-":
                yield "core", word


def existing(ts: Path):
    if not ts.exists():
        return {}
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.text and tr.get("type") not in ("unfinished", "obsolete"):
                out[(name, msg.findtext("source"))] = tr.text
    return out


def write(language: str, translations=None) -> Path:
    ts = ROOT / "i18n" / f"mirage_labeller_{language}.ts"
    known = existing(ts)
    known.update(translations or {})
    contexts = {}
    every = (list(ui_strings()) + list(python_strings()) + list(step_strings())
             + list(core_strings()))
    for context, text in every:
        contexts.setdefault(context, [])
        if text not in contexts[context]:
            contexts[context].append(text)
    root = ET.Element("TS", version="2.1", language=f"{language}_IT" if language == "it"
                      else language)
    missing = 0
    for context, texts in sorted(contexts.items()):
        c = ET.SubElement(root, "context")
        ET.SubElement(c, "name").text = context
        for text in texts:
            m = ET.SubElement(c, "message")
            ET.SubElement(m, "source").text = text
            done = known.get((context, text))
            t = ET.SubElement(m, "translation")
            if done:
                t.text = done
            else:
                t.set("type", "unfinished")
                missing += 1
    ET.indent(root)
    ts.parent.mkdir(exist_ok=True)
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                  + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")
    total = sum(len(v) for v in contexts.values())
    print(f"{ts}: {total} strings, {missing} untranslated")
    return ts


if __name__ == "__main__":
    write(sys.argv[1] if len(sys.argv) > 1 else "it")
