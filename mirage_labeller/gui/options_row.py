"""The dock's options row: strict mode, the low-coherence mask, keeping Sign_Qual/Class_Unc
for the next label, and the shortcuts help. They are settings of the workspace state (saved
with it); the mask also goes on the map."""
from __future__ import annotations

from typing import Callable

from qgis.PyQt.QtCore import QObject

from ..i18n import translate
from . import keymap

TR_CONTEXT = "MirageDock"  # a part of the dock's form


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


class OptionsRow(QObject):
    """Drives the form's ``strictCheck``, ``maskCheck``, ``rememberCheck``, ``helpButton``."""

    def __init__(self, form, call: Callable[..., None], saved: Callable[[], None], parent=None):
        super().__init__(parent)
        self.form = form
        self.saved = saved  # the settings changed: save the state
        self.session = None
        self.layers = None
        form.strictCheck.toggled.connect(lambda on: call("set_strict", on))
        form.maskCheck.toggled.connect(self._mask_toggled)
        form.rememberCheck.toggled.connect(self._remember_toggled)
        form.helpButton.toggled.connect(form.helpBrowser.setVisible)
        form.helpBrowser.setHtml(keymap.help_html())
        form.helpBrowser.setVisible(False)

    def bind(self, session, layers) -> None:
        """Show the settings of a newly opened session (None: none open)."""
        self.session, self.layers = session, layers
        if session is None:
            return
        f, settings = self.form, session.state.settings
        for check, value in ((f.strictCheck, settings.strict), (f.maskCheck,
                             settings.coherence_mask), (f.rememberCheck, settings.remember_last)):
            check.blockSignals(True)
            check.setChecked(value)
            check.blockSignals(False)
        f.maskCheck.setText(_tr("Mask coh < {threshold:g}").format(
            threshold=settings.coherence_threshold))

    def _mask_toggled(self, on: bool) -> None:
        if self.session is None:
            return
        settings = self.session.state.settings
        settings.coherence_mask = on
        if self.layers is not None:
            self.layers.set_mask(on, settings.coherence_threshold)
        self.saved()

    def _remember_toggled(self, on: bool) -> None:
        if self.session is not None:
            self.session.state.settings.remember_last = on
            self.saved()
