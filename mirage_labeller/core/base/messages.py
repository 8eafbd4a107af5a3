"""Sentences core writes for people (feedback, warnings, reasons) that the GUI can translate.

Core has no Qt, so it cannot translate; it writes English. A ``Msg`` is that English string
(the CLI, CSVs and tests use it as any str) which also keeps its template and values, so the
GUI looks the template up in the translations and fills in the same values
(``i18n.translate_core``). ``tools/make_ts.py`` collects the templates of ``Msg("...")``.
"""
from __future__ import annotations

from typing import Any


class Msg(str):
    """English text built from ``template.format(**values)``, remembering both."""

    template: str
    values: dict

    def __new__(klass, template: str, /, **values: Any) -> "Msg":  # values may be "cls"
        text = super().__new__(klass, template.format(**values) if values else template)
        text.template = template
        text.values = values
        return text

    def __reduce__(self):  # pickles (worker processes) keep what makes it translatable
        return (_rebuild, (self.template, self.values))


def _rebuild(template: str, values: dict) -> Msg:
    return Msg(template, **values)


def to_data(text) -> object:
    """A JSON-able form that keeps a Msg translatable after a round trip (caches)."""
    if isinstance(text, Msg):
        return {"template": text.template,
                "values": {k: to_data(v) for k, v in text.values.items()}}
    return text


def from_data(data) -> object:
    """The inverse of ``to_data``; anything unexpected comes back as it is."""
    if isinstance(data, dict) and isinstance(data.get("template"), str):
        values = data.get("values") or {}
        try:
            return Msg(data["template"], **{k: from_data(v) for k, v in values.items()})
        except (KeyError, IndexError, ValueError, TypeError):
            return data["template"]
    return data
