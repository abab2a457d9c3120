"""A table of NAME / value pairs whose values are hidden until asked for: a server's
environment variables or HTTP headers, where API keys and tokens live.

The values are masked on screen (someone may be watching, or sharing the screen) and while
they are typed; "Show values" reveals them. They are kept in the system keyring by the store,
never in a file; the dialog says so beside the table.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

NAME, VALUE = 0, 1
MASK = "••••••••"  # the same for every value: its length tells nothing either


class _MaskedValues(QStyledItemDelegate):
    """Draws each value as a fixed mask and edits it in a password field, unless shown."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.masked = True

    def displayText(self, value: object, locale: object) -> str:  # noqa: N802
        text = str(value or "")
        return MASK if self.masked and text else text

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if self.masked:
            editor.setEchoMode(QLineEdit.EchoMode.Password)
        return editor

    def setEditorData(  # noqa: N802
        self, editor: QWidget, index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class SecretPairsTable(QWidget):
    """Rows of name and (masked) value, with Add, Remove and Show values.

    Signals:
        changed: a row was added, removed or edited.
    """

    changed = Signal()

    def __init__(self, name_header: str, add_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([name_header, self.tr("Value")])
        self.table.setAccessibleName(name_header)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setMinimumHeight(96)
        self.table.setMaximumHeight(150)
        self._values = _MaskedValues(self.table)
        self.table.setItemDelegateForColumn(VALUE, self._values)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton(add_text)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._add_row_for_typing)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self._remove_selected)
        self.show_values = QCheckBox(self.tr("Show values"))
        self.show_values.toggled.connect(self._on_show_toggled)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_values)
        # As tall as it needs: a taller page leaves its spare room below, not inside.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addWidget(self.table)
        self._layout.addLayout(buttons)
        self._update_buttons()

    def add_note(self, note: QWidget) -> None:
        """A line under the buttons (where the values are kept)."""
        self._layout.addWidget(note)

    # -- the pairs -------------------------------------------------------------------------------

    def set_pairs(self, pairs: tuple[tuple[str, str], ...]) -> None:
        self.table.setRowCount(0)
        for name, value in pairs:
            self.add_row(name, value)

    def add_row(self, name: str = "", value: str = "") -> int:
        """A new row (at the end); returns its number."""
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        self.table.setItem(row, VALUE, QTableWidgetItem(value))
        self.table.blockSignals(False)
        self._update_buttons()
        self.changed.emit()
        return row

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The rows as typed (names without spaces at their ends); empty rows left out."""
        pairs = []
        for row in range(self.table.rowCount()):
            name, value = self._text(row, NAME).strip(), self._text(row, VALUE)
            if name or value:
                pairs.append((name, value))
        return tuple(pairs)

    def values_masked(self) -> bool:
        return self._values.masked

    def shown_value(self, row: int) -> str:
        """The value as the table shows it (the mask unless values are shown)."""
        index = self.table.model().index(row, VALUE)
        return self._values.displayText(index.data(), None)

    # -- behaviour -------------------------------------------------------------------------------

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _add_row_for_typing(self) -> None:
        row = self.add_row()
        self.table.setCurrentCell(row, NAME)
        self.table.editItem(self.table.item(row, NAME))

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self._update_buttons()
        self.changed.emit()

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        """``NAME=value`` typed or pasted into a name cell is split into the two cells (the
        way such pairs are written in a README or a shell)."""
        if item.column() == NAME and "=" in item.text() and not self._text(item.row(), VALUE):
            name, _, value = item.text().partition("=")
            self.table.blockSignals(True)
            item.setText(name.strip())
            value_item = self.table.item(item.row(), VALUE)
            if value_item is not None:
                value_item.setText(value)
            self.table.blockSignals(False)
        self.changed.emit()

    def _on_show_toggled(self, shown: bool) -> None:
        self._values.masked = not shown
        self.table.viewport().update()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectedIndexes()))
