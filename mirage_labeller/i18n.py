"""The interface in the user's language (English, Italian), following QGIS's locale.

Translations are Qt ``.qm`` files built by ``make translations`` from the ``.ts`` sources in
``i18n/``; strings of ``.ui`` files use their form's context, Python strings go through
``translate(context, text)`` with their module's context.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
LANGUAGES = ("it",)


def user_language() -> str:
    """Two-letter language of QGIS's interface (Settings > Options > General > Locale)."""
    from qgis.core import QgsSettings

    settings = QgsSettings()
    name = settings.value("locale/userLocale", "", type=str) or ""
    if not settings.value("locale/overrideFlag", False, type=bool) or not name:
        name = name or QLocale.system().name()
    return name[:2].lower()


def install(language: Optional[str] = None) -> Optional[QTranslator]:
    """Install the translator of ``language`` (default: QGIS's); None when there is none."""
    language = language or user_language()
    if language not in LANGUAGES:
        return None
    qm = I18N_DIR / f"mirage_labeller_{language}.qm"
    translator = QTranslator()
    if not qm.is_file() or not translator.load(str(qm)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def uninstall(translator: Optional[QTranslator]) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


CORE_CONTEXT = "core"


def translate_core(text) -> str:
    """A sentence of core (``core.messages.Msg``: template and values) in the user's
    language; its values are translated too where they are words of core (class names,
    regions, nested sentences). Plain strings are looked up as they are."""
    if text is None:
        return ""
    template = getattr(text, "template", None)
    if template is None:
        return QCoreApplication.translate(CORE_CONTEXT, str(text)) if text else str(text)
    values = {k: translate_core(v) if isinstance(v, str) else v
              for k, v in text.values.items()}
    try:
        return QCoreApplication.translate(CORE_CONTEXT, template).format(**values) \
            if values else QCoreApplication.translate(CORE_CONTEXT, template)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return str(text)
