"""Which interferogram the dock shows: a row of the table, the next or previous one in the
table's order (filtered rows skipped), the one of a label stem (a recurrence chip, a review
finding) with a label selected once it is open. Opening runs in the background
(gui/layers.py); until it is done the session acts on nothing (LabellingSession.begin_loading).
"""
from __future__ import annotations

from typing import List, Optional

from qgis.core import Qgis
from qgis.PyQt.QtCore import QObject

from ..i18n import translate
from .classify_panel import region_of_layer

TR_CONTEXT = "MirageDock"  # a part of the dock


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


class Navigator(QObject):
    def __init__(self, dock):
        super().__init__(dock)
        self.dock = dock
        self.pending = None  # (stem, label id) to select once that one is open

    def show_row(self, row: int, zoom: bool = False) -> None:
        d = self.dock
        item = d.table.item_at(row)
        if item is None or d.session is None or (item is d.layers.current and not zoom):
            return
        settings = d.session.state.settings
        d.table.select_row(row)
        d.status.note(_tr("Opening {file} …").format(file=item.path.name))
        d.session.begin_loading(item)
        d.layers.show(item, lambda messages: self._ready(item, messages, zoom), self._facts,
                      settings.coherence_threshold, settings.coherence_mask)

    def _ready(self, item, messages: List[str], zoom: bool) -> None:
        """The interferogram's layers are in the project: hand it to the session."""
        d = self.dock
        for message in messages:
            d.say(message, Qgis.MessageLevel.Warning)
        if d.session is None:
            return
        choice = d.layers.label_crs()  # core's rule: the label CRS of this interferogram
        d.session.set_current(item, d.layers.grid(), choice.epsg or choice.wkt,
                              d.layers.footprint())
        d.layers.set_labels(d.session.labels())
        d.update_views()
        if (zoom or not d.map.zoomed) and d.layers.phase_layer is not None:
            d.map.zoom_to(d.layers.phase_layer)
        d.classify.build_class_buttons(region_of_layer(d.layers.phase_layer))
        d.status.note(f"{item.path.name}: {item.meta.describe()}")
        d.update_all()

    def _facts(self, messages: List[str]) -> None:
        for message in messages:
            self.dock.say(message, Qgis.MessageLevel.Warning)
        self.dock.update_stats()

    def show_first(self, stem: Optional[str]) -> None:
        """On opening: the interferogram the state was on (even if filtered out now), else
        the first row shown."""
        table = self.dock.table
        wanted, rows = table.row_of_stem(stem), table.visible_rows()
        if wanted >= 0 or rows:
            self.show_row(wanted if wanted >= 0 else rows[0])

    def step(self, delta: int) -> None:
        """Next/previous interferogram in the table's current order, skipping filtered rows."""
        d = self.dock
        if d.session is None or d.layers is None:
            return
        shown = d.layers.current  # the one asked for, even while it is still opening
        current = d.table.row_of(shown) if shown is not None else -1
        later = [r for r in d.table.visible_rows() if (r > current if delta > 0 else r < current)]
        if later:
            self.show_row(later[0] if delta > 0 else later[-1])

    def show_stem(self, stem: str, select_id: Optional[int] = None) -> None:
        """Go to the interferogram with this label stem, keeping the map where it is; select
        label ``select_id`` once it is open."""
        d = self.dock
        row = d.table.row_of_stem(stem) if d.session is not None else -1
        if row < 0:
            return
        self.pending = (stem, select_id) if select_id is not None else None
        item = d.table.item_at(row)
        if item is d.layers.current and d.session.current is item:
            self.select_pending()
        else:
            self.show_row(row)

    def select_pending(self) -> None:
        s, pending = self.dock.session, self.pending
        if s is None or s.current is None or pending is None or pending[0] != s.current.label_stem:
            return
        self.pending = None
        s.select_label(pending[1])
