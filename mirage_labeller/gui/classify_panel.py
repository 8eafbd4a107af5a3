"""Step 4 of the dock: one button per class (those of the interferogram's region first),
Sign_Qual and Class_Unc, the candidate box's size and the Confirm button with why it cannot
save yet. The classes, their regions and what a label needs are core's (labels.classes,
labels.schema through the session's draft)."""
from __future__ import annotations

from typing import Callable, Dict, Optional

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject
from qgis.PyQt.QtCore import QObject
from qgis.PyQt.QtWidgets import QButtonGroup, QToolButton

from ..core.labels.classes import CLASSES, region_of_point
from ..i18n import translate, translate_core
from . import keymap

TR_CONTEXT = "MirageDock"  # a part of the dock's form


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


def region_of_layer(layer) -> Optional[str]:
    """The MIRAGE region (core.labels.classes) at the centre of a raster layer."""
    if layer is None:
        return None
    wgs84 = QgsCoordinateReferenceSystem.fromEpsgId(4326)
    p = QgsCoordinateTransform(layer.crs(), wgs84, QgsProject.instance()).transform(
        QgsPointXY(layer.extent().center()))
    return region_of_point(p.x(), p.y())


class ClassifyPanel(QObject):
    """Drives the form's ``classGrid``, ``quality1/2``, ``uncertainty1/2``,
    ``candidateLabel`` and ``confirmButton``; every click is an action of the dock."""

    def __init__(self, form, run_action: Callable[[str], bool], parent=None):
        super().__init__(parent)
        self.form = form
        self.run_action = run_action
        self.buttons: Dict[str, QToolButton] = {}
        self.region: Optional[str] = "unset"
        # one radio group per attribute (in one page they would all exclude each other)
        for buttons in ((form.quality1, form.quality2), (form.uncertainty1, form.uncertainty2)):
            group = QButtonGroup(self)
            for button in buttons:
                group.addButton(button)
        for name in ("quality1", "quality2", "uncertainty1", "uncertainty2"):
            action = f"{name[:-1]}:{name[-1]}"
            getattr(form, name).clicked.connect(lambda _=False, a=action: run_action(a))
        form.confirmButton.clicked.connect(lambda: run_action("confirm"))

    def bind(self, session) -> None:
        session.candidateChanged.connect(lambda: self.update_candidate(session))
        session.draftChanged.connect(lambda: self.update_draft(session))

    def build_class_buttons(self, region: Optional[str]) -> None:
        """One button per class, those of ``region`` first (the others greyed)."""
        if region == self.region:
            return
        grid = self.form.classGrid
        for button in self.buttons.values():
            grid.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        self.region = region
        ordered = sorted(CLASSES.values(), key=lambda c: (not c.lives_in(region) if region else 0))
        for i, cls in enumerate(ordered):
            key = keymap.CLASS_KEYS[cls.code]
            button = QToolButton(self.form.classHost)
            button.setText(f"{cls.code} ({key})")
            button.setCheckable(True)
            button.setAutoExclusive(False)
            button.setToolTip(_tr("{name} — {region}; typical area {area} km², main baseline "
                                  "{days} d; {shape}, {texture}").format(
                name=translate_core(cls.name), region=translate_core(cls.region),
                area=cls.mean_area_km2, days=cls.main_baseline_days or "-",
                shape=translate_core(cls.shape), texture=translate_core(cls.texture)))
            button.setMinimumWidth(64)
            style = (f"QToolButton {{ border: 2px solid {cls.colour}; padding: 2px; }}"
                     f"QToolButton:checked {{ background: {cls.colour}; color: white; }}")
            if region and not cls.lives_in(region):
                style += "QToolButton { color: gray; }"
            button.setStyleSheet(style)
            button.clicked.connect(lambda _=False, c=cls.code: self.run_action(f"class:{c}"))
            grid.addWidget(button, i // 4, i % 4)
            self.buttons[cls.code] = button

    def update_candidate(self, session) -> None:
        f = self.form
        if session.candidate is None:
            f.candidateLabel.setText(_tr("No candidate: press, drag and release on the map "
                                         "with the box tool (B)."))
        else:
            x0, y0, x1, y1 = session.candidate
            f.candidateLabel.setText(_tr("Candidate {w:.0f} × {h:.0f} m ({area:.3f} km²), "
                                         "snapped to the {pixel:g} m grid.").format(
                w=x1 - x0, h=y1 - y0, area=(x1 - x0) * (y1 - y0) / 1e6,
                pixel=session.grid.pixel_x))
        label, problems = session.draft_label()
        f.confirmButton.setEnabled(label is not None)
        f.confirmButton.setToolTip(_tr("Save the label (Enter)") if label else
                                   "; ".join(problems))

    def update_draft(self, session) -> None:
        cls, quality, uncertainty = session.attributes()
        for code, button in self.buttons.items():
            button.setChecked(code == cls)
        f = self.form
        f.quality1.setChecked(quality == 1)
        f.quality2.setChecked(quality == 2)
        f.uncertainty1.setChecked(uncertainty == 1)
        f.uncertainty2.setChecked(uncertainty == 2)
        self.update_candidate(session)
