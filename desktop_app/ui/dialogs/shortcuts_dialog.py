"""The keyboard shortcuts sheet (Ctrl+/): every shortcut Cairn has, in one place (the table
in ``lib/shortcuts.py``, which the window installs its own shortcuts from), opened at the size
that shows every row, so the sheet needs no scrolling."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.lib.shortcuts import SHORTCUTS


class ShortcutsDialog(QDialog):
    """A read-only table of shortcuts, keys named as keyboards print them (``key_names``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = [(row.shown_keys, row.translated_description) for row in SHORTCUTS]
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        for row, (keys, action) in enumerate(rows):
            key_item = QTableWidgetItem(keys)
            key_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, QTableWidgetItem(action))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The table asks for the size of all its rows and columns (a fixed 480x520 cut the
        # last rows off and needed a scroll bar, in every language).
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(self._opening_size())
        # Only now: a stretched column would have made the table ask for its current width.
        header.setStretchLastSection(True)  # a wider sheet gives the room to the actions

    def _opening_size(self) -> QSize:
        """Everything shown, at least 480 px wide, within the screen (where a shorter screen
        makes the table scroll)."""
        wanted = self.sizeHint().expandedTo(QSize(480, 0))
        screen = (self.parentWidget() or self).screen().availableGeometry()
        frame = QSize(40, 60)  # room for the window's frame and title bar
        return wanted.boundedTo(screen.size() - frame)
