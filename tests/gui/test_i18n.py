"""The interface follows QGIS's locale: Italian when QGIS is in Italian, English otherwise;
the .ts sources cover every translatable string and the .qm is built from them."""
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QEvent


@pytest.fixture
def italian():
    s = QgsSettings()
    before = (s.value("locale/userLocale"), s.value("locale/overrideFlag"))
    s.setValue("locale/userLocale", "it_IT")
    s.setValue("locale/overrideFlag", True)
    yield
    s.setValue("locale/userLocale", before[0] or "")
    s.setValue("locale/overrideFlag", before[1] or False)


def _plugin(plugin_package, qgis_iface):
    p = plugin_package.classFactory(qgis_iface)
    p.initGui()
    return p


def _unload(p):
    p.unload()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def test_italian_locale_gives_an_italian_dock(italian, plugin_package, qgis_iface,
                                              qgis_new_project):
    p = _plugin(plugin_package, qgis_iface)
    try:
        dock = p.dock
        assert p.translator is not None
        assert dock.keepButton.text() == "Tieni (K)"
        assert dock.confirmButton.text() == "Conferma (Invio)"
        assert dock.stepButton0.toolTip().startswith("0. Seleziona l'interferogramma: Tienilo")
        assert p.review.audit_button.text() == "Controllo"
        assert dock.recurrence.refresh_button.text() == "Mostra"
        # sentences of core (feedback, warnings, class guide) in Italian too, values kept
        from mirage_labeller.core.base.messages import Msg
        from mirage_labeller.core.labels.classes import CLASSES
        from mirage_labeller.core.teaching.guide import describe
        from mirage_labeller.i18n import translate_core

        assert translate_core(describe(CLASSES["RG"])).startswith(
            "Rock glacier (Alpi): segnale di fase allungato, omogeneo")
        flat = Msg("label {id} ({cls}) matches no signal of the key; it sits on flat terrain "
                   "(median slope {slope:.1f}°): could it be atmosphere?", id=3, cls="RG",
                   slope=2.345)
        assert translate_core(flat) == (
            "l'etichetta 3 (RG) non corrisponde a nessun segnale della soluzione; sta su "
            "terreno pianeggiante (pendenza mediana 2.3°): potrebbe essere atmosfera?")
        assert str(flat).startswith("label 3 (RG) matches no signal")  # CLI, CSV: English
        assert translate_core("not a sentence of ours") == "not a sentence of ours"
    finally:
        _unload(p)


def test_english_otherwise_and_the_translator_goes_with_unload(plugin_package, qgis_iface,
                                                               qgis_new_project):
    s = QgsSettings()
    before = (s.value("locale/userLocale"), s.value("locale/overrideFlag"))
    s.setValue("locale/userLocale", "en_GB")
    s.setValue("locale/overrideFlag", True)
    p = _plugin(plugin_package, qgis_iface)
    try:
        assert p.translator is None
        assert p.dock.keepButton.text() == "Keep (K)"
        assert QCoreApplication.translate("MirageDock", "Keep (K)") == "Keep (K)"
    finally:
        _unload(p)
        s.setValue("locale/userLocale", before[0] or "")
        s.setValue("locale/overrideFlag", before[1] or False)


def test_ts_is_complete_and_current(repo_root, tmp_path):
    """Every string the code marks for translation is in the .ts, translated."""
    sys.path.insert(0, str(repo_root / "tools"))
    import make_ts

    wanted = set(make_ts.ui_strings()) | set(make_ts.python_strings()) | set(
        make_ts.step_strings()) | set(make_ts.core_strings())
    root = ET.parse(repo_root / "i18n" / "mirage_labeller_it.ts").getroot()
    have = {}
    for ctx in root.iter("context"):
        for m in ctx.iter("message"):
            t = m.find("translation")
            have[(ctx.findtext("name"), m.findtext("source"))] = (t.text, t.get("type"))
    missing = wanted - set(have)
    assert not missing, f"not in the .ts (run tools/make_ts.py): {sorted(missing)[:5]}"
    untranslated = [k for k in wanted if not have[k][0] or have[k][1] == "unfinished"]
    assert not untranslated, f"untranslated: {untranslated[:5]}"
    # a translation that drops or renames a {placeholder} would fail at .format()
    import string

    def fields(text):
        return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)

    broken = [k for k in wanted if fields(k[1]) != fields(have[k][0])]
    assert not broken, f"placeholders differ: {broken[:5]}"
    qm = tmp_path / "it.qm"
    subprocess.run(["lrelease", "-silent", str(repo_root / "i18n" / "mirage_labeller_it.ts"),
                    "-qm", str(qm)], check=True)
    assert qm.stat().st_size > 1000
