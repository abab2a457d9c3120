"""Reply text widgets compared: a rich-text QLabel (as Cairn used it until session 5) and
``RichTextView`` (what it uses now), for the work a streaming reply does per frozen piece.

Pieces of the benchmark's long Markdown reply (1,600 characters each, as the streaming
render freezes them) are added one by one to a column in a scroll area that follows them,
as the message view does; each step processes events until the piece is laid out and
painted. Prints the milliseconds per piece for each widget and the column's final height
(equal heights: both lay the text out the same).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.reply_text_layout
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

PIECE_CHARS = 1600
PIECES = 36


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QSize, Qt
    from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QVBoxLayout, QWidget

    from benchmarks.long_reply import long_markdown
    from desktop_app.core.markdown import MarkdownRenderer
    from desktop_app.ui.messages.rich_text_view import RichTextView

    app = QApplication.instance() or QApplication([])
    app.setStyleSheet("#ReplyText { font-size: 11pt; }")
    text = long_markdown()
    renderer = MarkdownRenderer()
    pieces = [renderer.render(text[i:i + PIECE_CHARS])[0]
              for i in range(0, PIECES * PIECE_CHARS, PIECE_CHARS)]

    class CachedLabel(QLabel):
        """Session 4's reply label (removed from Cairn, kept here for the comparison): a
        QLabel that remembers its height per width and answers size hints without a layout."""

        def __init__(self, parent: QWidget) -> None:
            super().__init__(parent)
            self._heights: dict[int, int] = {}

        def setText(self, text: str) -> None:
            self._heights.clear()
            super().setText(text)

        def heightForWidth(self, width: int) -> int:
            if width not in self._heights:
                self._heights[width] = super().heightForWidth(width)
            return self._heights[width]

        def sizeHint(self) -> QSize:
            if self.width() < 160:
                return QSize(600, self.fontMetrics().height())
            return QSize(self.width(), self.heightForWidth(self.width()))

        def minimumSizeHint(self) -> QSize:
            return QSize(160, self.fontMetrics().height())

        def changeEvent(self, event: QEvent) -> None:
            if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
                self._heights.clear()
            super().changeEvent(event)

    def label(parent: QWidget) -> QWidget:
        widget = CachedLabel(parent)
        widget.setWordWrap(True)
        widget.setTextFormat(Qt.TextFormat.RichText)
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                       | Qt.TextInteractionFlag.LinksAccessibleByMouse
                                       | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        return widget

    def view(parent: QWidget) -> QWidget:
        return RichTextView(parent)

    def run(make: Callable[[QWidget], QWidget]) -> tuple[float, int]:
        area = QScrollArea()
        area.setWidgetResizable(True)
        column = QWidget()
        layout = QVBoxLayout(column)
        area.setWidget(column)
        area.resize(800, 700)
        area.show()
        app.processEvents()
        start = time.perf_counter()
        for html in pieces:
            widget = make(column)
            widget.setObjectName("ReplyText")
            widget.setText(html)  # type: ignore[attr-defined]
            layout.addWidget(widget)
            app.processEvents()
            bar = area.verticalScrollBar()
            bar.setValue(bar.maximum())
            app.processEvents()
        per_piece = (time.perf_counter() - start) / len(pieces)
        height = column.height()
        area.deleteLater()
        app.processEvents()
        return per_piece, height

    results: dict[str, list[float]] = {"QLabel": [], "RichTextView": []}
    heights: dict[str, int] = {}
    for _ in range(3):  # alternated, so both see the machine alike
        for name, make in (("QLabel", label), ("RichTextView", view)):
            per_piece, heights[name] = run(make)
            results[name].append(per_piece)
    for name, runs in results.items():
        print(f"{name}: {statistics.median(runs) * 1000:.1f} ms per {PIECE_CHARS}-character piece "
              f"(runs: {', '.join(f'{r * 1000:.1f}' for r in runs)}); column {heights[name]} px")


if __name__ == "__main__":
    main()
