"""The strip above the composer: the attachments of the next message as removable cards,
a larger preview on click, and a line for input that could not be attached. Thumbnails and
previews are made on the attachment queue's worker thread; nothing here decodes a picture.

Signals (on AttachmentStrip):
    remove_requested(int): the × of that card was pressed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.session.outgoing_attachments import PendingAttachment
from desktop_app.ui.lib.async_dialogs import show_and_discard
from desktop_app.ui.lib.elided_label import ElidedLabel
from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.theme import Theme

THUMB = 44
NAME_WIDTH = 200  # a card's words at most this wide; narrower (elided) when cards must share
TEXT_MIN_WIDTH = 56  # how narrow a card's words may get before the strip scrolls instead


def pixmap_from(image: QImage, edge: int) -> QPixmap:
    """A pixmap of a (small, already decoded) image that fits ``edge``."""
    pixmap = QPixmap.fromImage(image)
    if pixmap.width() <= edge and pixmap.height() <= edge:
        return pixmap
    return pixmap.scaled(edge, edge, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)


class PreviewDialog(QDialog):
    """A larger look at an attached image, with its name and details; Close (or Esc) closes
    it (some window managers give a dialog no close box of their own)."""

    def __init__(self, item: PendingAttachment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(item.name)
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if item.picture is not None:
            label.setPixmap(pixmap_from(item.picture, 760))
        caption = QLabel(item.details)
        caption.setObjectName("HintLabel")
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(self.tr("Close"),
                                              QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(caption, 1)
        footer.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(footer)


class AttachmentCard(QFrame):
    """One attachment: thumbnail (or kind), name, details, and a remove button."""

    clicked = Signal()
    remove_clicked = Signal()

    def __init__(self, item: PendingAttachment, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("AttachmentCard")
        self.item = item
        thumb = QLabel()
        thumb.setFixedSize(THUMB, THUMB)
        thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if item.thumbnail is not None:
            thumb.setPixmap(pixmap_from(item.thumbnail, THUMB))
        else:
            thumb.setText({"pdf": "PDF", "url": "URL", "code_file": self.tr("FILE")}.get(item.kind, "?"))
            thumb.setObjectName("AttachmentKind")
        name = ElidedLabel(item.name, Qt.TextElideMode.ElideMiddle,
                           max_width=NAME_WIDTH, min_width=TEXT_MIN_WIDTH, always_tooltip=True)
        name.setObjectName("AttachmentName")
        details = ElidedLabel(item.details, max_width=NAME_WIDTH, min_width=TEXT_MIN_WIDTH)
        details.setObjectName("HintLabel")
        self.remove_button = QToolButton()
        self.remove_button.setIcon(icon("x", theme.muted, 12))
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(self.tr("Remove"))
        self.remove_button.setAccessibleName(self.tr("Remove {0}").format(item.name))
        self.remove_button.clicked.connect(self.remove_clicked)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(name)
        text.addWidget(details)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 4, 6)
        layout.addWidget(thumb)
        layout.addLayout(text)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setCursor(Qt.CursorShape.PointingHandCursor if item.picture is not None
                       else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class AttachmentStrip(QWidget):
    """See the module docstring."""

    remove_requested = Signal(int)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.cards: list[AttachmentCard] = []
        self.problem = QLabel()
        self.problem.setObjectName("AttachmentProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.preparing = QLabel(self.tr("Preparing…"))
        self.preparing.setObjectName("HintLabel")
        self.preparing.hide()
        self._row_widget = QWidget()
        self._row_widget.setObjectName("AttachmentRow")
        self._row = QHBoxLayout(self._row_widget)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._row.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("AttachmentScroll")
        self.scroll.setWidget(self._row_widget)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.hide()
        # The bar comes and goes as the row's width settles (cards added, the window
        # resized): the strip's height follows it every time.
        self.scroll.horizontalScrollBar().rangeChanged.connect(self._fit_height)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(4)
        layout.addWidget(self.problem)
        layout.addWidget(self.scroll)
        layout.addWidget(self.preparing)

    def show_items(self, items: list[PendingAttachment], preparing: bool) -> None:
        for card in self.cards:
            self._row.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for index, item in enumerate(items):
            card = AttachmentCard(item, self._theme)
            card.remove_clicked.connect(lambda i=index: self.remove_requested.emit(i))
            card.clicked.connect(lambda it=item: self._preview(it))
            self._row.insertWidget(index, card)
            self.cards.append(card)
        self.scroll.setVisible(bool(items))
        self.preparing.setVisible(preparing)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as a card, plus the scroll bar when the cards, their words shortened as
        far as they go, are still wider than the strip (a fixed height let the bar cover the
        cards' bottoms). Until then the cards share the width: three fit at 800×600."""
        if not self.cards:
            return
        cards = max(card.sizeHint().height() for card in self.cards)
        bar = self.scroll.horizontalScrollBar()
        wider = bar.maximum() > 0  # the scroll area's own answer, once it has laid out
        self.scroll.setFixedHeight(cards + (bar.sizeHint().height() if wider else 0))

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _preview(self, item: PendingAttachment) -> None:
        if item.picture is None:
            return
        show_and_discard(PreviewDialog(item, self))
