"""The dock's interferogram table with its filters (Bt, Traj, status) and the screening
columns (score, mean coherence, share below 0.2). Which rows pass the filters is the
workspace state's rule (core.interferograms.state.WorkspaceState.matches); this fills cells.
"""
from __future__ import annotations

from typing import Callable, List, Optional

from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QHeaderView, QTableWidgetItem

from ..core.interferograms.state import DISCARD, KEEP, STATUSES
from ..core.interferograms.workspace import WorkspaceInterferogram
from ..i18n import translate, translate_core

TR_CONTEXT = "MirageDock"  # a part of the dock's form


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


def _N(text: str) -> str:  # noqa: N802 - the marker tools/make_ts.py looks for
    """A word translated where shown (_tr(variable)); marked here for tools/make_ts.py."""
    return text


COLUMNS = (_N("IFG"), _N("Bt"), _N("Traj"), _N("Labels"), _N("Status"), _N("Score"),
           _N("Mean coh"), _N("% < 0.2"), _N("Coherence"), _N("File"))
# the words of the state (workspace_state.REASONS, STATUSES), shown translated
_WORDS = (_N("decorrelation"), _N("atmosphere"), _N("other"), _N("undecided"), _N("kept"),
          _N("discarded"), _N("labelled"), _N("unlabelled"), _N("all"), _N("keep"),
          _N("discard"))
SCREEN_COLUMNS = {"score": 5, "mean_coh": 6, "frac_coh_lt_0_2": 7}
LABELS_COLUMN, STATUS_COLUMN = 3, 4
INDEX_ROLE = Qt.ItemDataRole.UserRole + 1
_STATUS_TEXT = {KEEP: "kept", DISCARD: "discarded", None: "—"}


def status_text(decision) -> str:
    """A triage decision as shown ("kept", "discarded", "—")."""
    text = _STATUS_TEXT[decision]
    return _tr(text) if decision is not None else text


class _NumberItem(QTableWidgetItem):
    """Sorts by number, not by text (Bt 6 before 12)."""

    def __lt__(self, other):
        try:
            return float(self.text()) < float(other.text())
        except ValueError:
            return super().__lt__(other)


class InterferogramTable(QObject):
    """Drives the form's ``ifgTable``, ``btFilter``, ``trajFilter``, ``statusFilter`` and the
    Previous / Next buttons."""

    # signals named as Qt names its own (camelCase), as connected beside them
    rowChosen = pyqtSignal(int)  # noqa: N815 - the user clicked or activated a row
    filtersChanged = pyqtSignal()  # noqa: N815 - the filter settings changed (to be saved)

    def __init__(self, form, run_action: Callable[[str], bool], parent=None):
        super().__init__(parent)
        form.nextButton.clicked.connect(lambda: run_action("next_ifg"))
        form.previousButton.clicked.connect(lambda: run_action("previous_ifg"))
        self.table = form.ifgTable
        self.filters = (form.btFilter, form.trajFilter, form.statusFilter)
        self.session = None
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemActivated.connect(lambda item: self.rowChosen.emit(item.row()))
        self.table.cellClicked.connect(lambda row, _col: self.rowChosen.emit(row))
        for combo in self.filters:
            combo.currentIndexChanged.connect(self._filters_changed)

    # ------------------------------------------------------------ rows
    def item_at(self, row: int) -> Optional[WorkspaceInterferogram]:
        cell = self.table.item(row, 0)
        if cell is None or self.session is None:
            return None
        return self.session.workspace.interferograms[cell.data(INDEX_ROLE)]

    def row_of(self, item) -> int:
        return next((row for row in range(self.table.rowCount()) if self.item_at(row) is item),
                    -1)

    def row_of_stem(self, stem: Optional[str]) -> int:
        """The row of an interferogram, even if it is filtered out now; -1 if none."""
        return next((row for row in range(self.table.rowCount())
                     if self.item_at(row) is not None and self.item_at(row).label_stem == stem),
                    -1)

    def visible_rows(self) -> List[int]:
        return [r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    # ------------------------------------------------------------ filling
    def show_session(self, session) -> None:
        """Filters and rows of a newly opened session (None: empty)."""
        self.session = session
        if session is None:
            self.table.setRowCount(0)
            return
        self._fill_filters()
        self.fill()

    def _fill_filters(self) -> None:
        items = self.session.workspace.interferograms
        settings = self.session.state.settings
        bts = sorted({it.meta.bt for it in items if it.meta.bt is not None})
        for combo, prefix, values, current in (
                (self.filters[0], "Bt", bts, settings.filter_bt),
                (self.filters[1], "Traj", ["A", "D"], settings.filter_traj),
                (self.filters[2], "Status", list(STATUSES), settings.filter_status)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(f"{_tr(prefix)}: {_tr('all')}", None)
            for value in values:
                shown = _tr(value) if isinstance(value, str) and prefix == "Status" else value
                combo.addItem(f"{_tr(prefix)}: {shown}", value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _filters_changed(self) -> None:
        if self.session is None:
            return
        settings = self.session.state.settings
        settings.filter_bt, settings.filter_traj, settings.filter_status = (
            combo.currentData() for combo in self.filters)
        self.apply_filters()
        self.filtersChanged.emit()

    def apply_filters(self) -> None:
        state = self.session.state
        for row in range(self.table.rowCount()):
            it = self.item_at(row)
            self.table.setRowHidden(row, not state.matches(
                it.label_stem, it.meta.bt, it.meta.traj, it.label_count))

    def fill(self, screened=None) -> None:
        """Every row anew (after metadata was supplied, say)."""
        table = self.table
        table.setSortingEnabled(False)
        items: List[WorkspaceInterferogram] = self.session.workspace.interferograms
        table.setRowCount(len(items))
        for row, it in enumerate(items):
            m = it.meta
            cells = [QTableWidgetItem(m.ifg or "?"),
                     _NumberItem(str(m.bt) if m.bt is not None else "?"),
                     QTableWidgetItem(m.traj or "?"),
                     _NumberItem(str(it.label_count)),
                     QTableWidgetItem(status_text(self.session.state.decision(it.label_stem))),
                     _NumberItem("…"), _NumberItem("…"), _NumberItem("…"),
                     QTableWidgetItem(_tr("yes") if it.coherence else _tr("missing")),
                     QTableWidgetItem(it.path.name)]
            tip = "\n".join([str(it.path), *map(translate_core, m.problems),
                             *map(translate_core, m.notes)])
            for col, cell in enumerate(cells):
                cell.setData(INDEX_ROLE, row)
                cell.setToolTip(tip)
                table.setItem(row, col, cell)
        table.setSortingEnabled(True)
        self.apply_filters()
        if screened:
            self.show_screening(screened)

    def show_screening(self, screened) -> None:
        """The screening columns of the rows screened so far (label stem -> Screening)."""
        table = self.table
        sorting = table.isSortingEnabled()
        table.setSortingEnabled(False)
        for row in range(table.rowCount()):
            it = self.item_at(row)
            result = screened.get(it.label_stem) if it is not None else None
            if result is None:
                continue
            for attr, col in SCREEN_COLUMNS.items():
                value = getattr(result, attr)
                cell = table.item(row, col)
                cell.setText(f"{100 * value:.0f}" if attr == "frac_coh_lt_0_2" else
                             f"{value:.2f}")
                cell.setToolTip(_tr("score {score:.2f}: {reason}\nmedian coherence "
                                    "{median:.2f}, {valid:.0%} valid, {residues:.2%} "
                                    "residues").format(
                    score=result.score, reason=translate_core(result.reason),
                    median=result.median_coh, valid=result.valid_frac,
                    residues=result.residue_density))
        table.setSortingEnabled(sorting)

    def refresh_row(self, stem: str) -> None:
        """The label count and status of one interferogram, and the filters again."""
        table = self.table
        sorting = table.isSortingEnabled()
        table.setSortingEnabled(False)  # else the row moves between the two cell updates
        for row in range(table.rowCount()):
            it = self.item_at(row)
            if it is not None and it.label_stem == stem:
                table.item(row, LABELS_COLUMN).setText(str(it.label_count))
                table.item(row, STATUS_COLUMN).setText(
                    status_text(self.session.state.decision(stem)))
        table.setSortingEnabled(sorting)
        self.apply_filters()
