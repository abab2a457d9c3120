"""A cited reply's sources as numbered footnotes under it: "1  Tide table · tides.example".
The cited passage shows on hover (tooltip) and when the note is opened with its chevron;
the title opens the source only when clicked, through the reply's link handling (the same
checks as every link of a reply). The numbers match the ``[1]`` marks in the text
(``core.citations``).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.citations import Source
from desktop_app.core.link_safety import neutralise_bidi
from desktop_app.core.safe_html import plain_to_html
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.fold_toggle import chevron, fold_toggle, in_body_font

TOOLTIP_CHARS = 600  # of each passage, in the tooltip


class FootnoteRow(QWidget):
    """One source: its number, title (a link when it has a web address), site, and its cited
    passages, folded until opened.

    Signals:
        link_activated(str): the title was clicked.
    """

    link_activated = Signal(str)

    def __init__(self, source: Source, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._theme = theme
        self.toggle = fold_toggle()
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)  # no words
        self.toggle.setAccessibleName(self.tr("Show the cited passage of source {number}")
                                      .format(number=source.number))
        self.toggle.clicked.connect(lambda: self.set_open(not self.is_open))
        self.label = QLabel()
        self.label.setObjectName("FootnoteLabel")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setOpenExternalLinks(False)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.label.linkActivated.connect(self.link_activated)
        self.passage = QLabel()
        self.passage.setObjectName("ToolCallDetails")
        self.passage.setWordWrap(True)
        self.passage.setTextFormat(Qt.TextFormat.RichText)  # escaped: to be in the body font
        self.passage.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passage.hide()
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        line.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        line.addWidget(self.label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.passage)
        self.toggle.setVisible(bool(source.passages))
        self._fill()

    @property
    def is_open(self) -> bool:
        return not self.passage.isHidden()

    def set_open(self, open_: bool) -> None:
        self.passage.setVisible(open_ and bool(self.source.passages))
        self._refresh_toggle()

    def link_texts(self, href: str) -> list[str]:
        source = self.source
        return [self.title] if source.url == href and bool(source.url) else []

    @property
    def title(self) -> str:
        source = self.source
        return " ".join(source.title.split()) or source.site or self.tr("Document")

    def _fill(self) -> None:
        source, theme = self.source, self._theme
        title = neutralise_bidi(html.escape(self.title))
        if source.url:  # (only web addresses are kept: core.citations)
            title = (f'<a href="{html.escape(source.url, quote=True)}" '
                     f'style="color:{theme.accent}">{title}</a>')
        site = (f' <span style="color:{theme.muted}">· {html.escape(source.site)}</span>'
                if source.site and source.site != self.title else "")
        self.label.setText(f"<b>{source.number}</b>&nbsp;&nbsp;{title}{site}")
        passages = [p if len(p) <= TOOLTIP_CHARS else p[:TOOLTIP_CHARS] + "…"
                    for p in source.passages]
        tip = [plain_to_html(f"“{p}”") for p in passages]
        if source.url:  # (only web addresses are kept: core.citations)
            tip.append(f'<span style="color:{theme.muted}">{plain_to_html(source.url)}</span>')
        self.setToolTip(f"<qt>{'<br><br>'.join(tip)}</qt>" if tip else "")
        self.passage.setText(in_body_font(
            "<br><br>".join(plain_to_html(f"“{p}”") for p in source.passages)))
        self._refresh_toggle()

    def _refresh_toggle(self) -> None:
        self.toggle.setIcon(chevron(self.is_open, self._theme.muted))


class FootnotesView(QWidget):
    """The numbered sources of a reply (hidden when it cites nothing).

    Signals:
        link_activated(str): a source's title was clicked.
    """

    link_activated = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._sources: tuple[Source, ...] = ()
        self.rows: list[FootnoteRow] = []
        self.heading = QLabel(self.tr("Sources"))
        self.heading.setObjectName("HintLabel")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addWidget(self.heading)
        self.hide()

    def set_sources(self, sources: tuple[Source, ...]) -> None:
        """Show these sources (rows are rebuilt only when they changed)."""
        if sources == self._sources:
            return
        self._sources = sources
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        for source in sources:
            row = FootnoteRow(source, self._theme, self)
            row.link_activated.connect(self.link_activated)
            self.rows.append(row)
            self._layout.addWidget(row)
        self.setVisible(bool(sources))

    def link_texts(self, href: str) -> list[str]:
        return [text for row in self.rows for text in row.link_texts(href)]
