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
