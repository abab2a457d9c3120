"""The files a code run made, under its row in the reply: each one's name and size with
Save as…, and a picture shown inline when its bytes are one (the name and declared type are
never trusted: ``session.anthropic_files`` decides from the bytes).

Files are fetched through the session's ``AnthropicFiles`` when the view first shows them
(small ones) and kept on this computer; nothing here calls the API or writes a file.

Signals (on ProducedFilesView):
    save_requested(str, str): (file id, suggested name): Save as… was clicked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.lib.elided_label import ElidedLabel
from desktop_app.ui.lib.numbers import size_text
from desktop_app.ui.session.anthropic_files import INLINE_EDGE, AnthropicFiles, ProducedFile

NAME_WIDTH = 320


class ProducedFileRow(QWidget):
    """One produced file: name · size (or its state), Save as…, and the picture below."""

    save_clicked = Signal()

    def __init__(self, file_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProducedFile")
        self.file_id = file_id
        self.name = ElidedLabel(file_id, Qt.TextElideMode.ElideMiddle, max_width=NAME_WIDTH,
                                always_tooltip=True)
        self.name.setObjectName("ProducedFileName")
        self.details = QLabel()
        self.details.setObjectName("HintLabel")
        self.details.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save as…"))
        self.save_button.setObjectName("ProducedFileSave")
        self.save_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.save_button.clicked.connect(self.save_clicked)
        self.picture = QLabel()
        self.picture.setObjectName("ProducedPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The picture follows the row's width (``_fit_picture``), never the other way round:
        # a wide pixmap must not hold a narrow window open.
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.picture.hide()
        self._pixmap: QPixmap | None = None
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        line.addWidget(self.name)
        line.addWidget(self.details, 1)
        line.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(4)
        layout.addLayout(line)
        layout.addWidget(self.picture)

    def show_state(self, entry: ProducedFile) -> None:
        self.name.setText(entry.name or entry.file_id)
        self.name.setToolTip(entry.name or entry.file_id)
        self.save_button.setAccessibleName(
            self.tr("Save {name} as…").format(name=entry.name or entry.file_id))
        if entry.status == "loading":
            self.details.setText(self.tr("Fetching…"))
        elif entry.status == "failed":
            self.details.setText(entry.problem)
        else:
            self.details.setText(size_text(entry.size) if entry.size else "")
        self.save_button.setEnabled(entry.status != "loading" and not entry.gone)
        if entry.picture is not None and not entry.picture.isNull():
            self._pixmap = QPixmap.fromImage(entry.picture)
            self.picture.setAccessibleName(entry.name)
            self._fit_picture()
            self.picture.show()
        else:
            self._pixmap = None
            self.picture.hide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_picture()

    def _fit_picture(self) -> None:
        """At most INLINE_EDGE (and the row's width) across, never enlarged: the picture is
        drawn at a device pixel ratio that makes it fit, so it stays sharp."""
        if self._pixmap is None:
            return
        room = max(80, min(INLINE_EDGE, self.width() or INLINE_EDGE))
        pixmap = QPixmap(self._pixmap)
        ratio = self.devicePixelRatioF() or 1.0
        pixmap.setDevicePixelRatio(max(ratio, pixmap.width() / room))
        self.picture.setPixmap(pixmap)
        self.picture.setFixedHeight(round(pixmap.height() / pixmap.devicePixelRatio()))


class ProducedFilesView(QWidget):
    """The files of one code run (see the module docstring).

    Args:
        files: the session's Files API object (fetches, knows each file's state).
    """

    save_requested = Signal(str, str)

    def __init__(self, files: AnthropicFiles, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ProducedFiles")
        self._files = files
        self.rows: dict[str, ProducedFileRow] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 4)
        self._layout.setSpacing(2)
        files.file_changed.connect(self._on_file_changed)
        self.hide()

    def show_files(self, file_ids: list[str]) -> None:
        """Show these files (rows already shown stay as they are; fetching starts once)."""
        for file_id in file_ids:
            if file_id in self.rows:
                continue
            row = ProducedFileRow(file_id, self)
            row.save_clicked.connect(lambda i=file_id: self._on_save_clicked(i))
            self.rows[file_id] = row
            self._layout.addWidget(row)
            row.show_state(self._files.request(file_id))
        self.setVisible(bool(self.rows))

    def _on_file_changed(self, file_id: str) -> None:
        row = self.rows.get(file_id)
        entry = self._files.state(file_id)
        if row is not None and entry is not None:
            row.show_state(entry)

    def _on_save_clicked(self, file_id: str) -> None:
        entry = self._files.state(file_id)
        self.save_requested.emit(file_id, entry.name if entry is not None else file_id)
