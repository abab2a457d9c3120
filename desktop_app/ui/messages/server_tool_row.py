"""One of Claude's own tool calls in a reply (web search, web fetch, code execution), as a
quiet row with the look of an MCP call row (`tool_call_row`): "Searched: “tides” — 8 results",
"Read: Tide table", "Ran code — exit code 0". A click opens it: the search results as links,
the page read, or the code with what it printed and the files it made. A failed call says why
under its row, without being opened; the reply goes on.

Links open only when clicked, through the reply (``link_activated``), which checks them as it
checks every link of a reply (``is_safe_link``; a deceptive one is confirmed first). Only
http(s) addresses become links; every text shown is escaped and its bidi controls made
visible.

A code run's files (``file_ids``) show in a ``ProducedFilesView`` under the row
(``set_produced_files_view``), folded or not: a chart the code drew is what the reader came
for. Their ids are also listed in the opened details.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.core.citations import site_of
from desktop_app.core.link_safety import neutralise_bidi
from desktop_app.core.markdown_links import web_url
from desktop_app.core.server_tool_activity import (
    ActivityKind,
    ActivityStatus,
    ServerToolActivity,
)
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.fold_toggle import chevron, fold_toggle, in_body_font
from desktop_app.ui.messages.server_tool_errors import error_words

SHOWN_OUTPUT_CHARS = 20_000  # longer code, output or file text is cut for display


def _escaped(text: str) -> str:
    return neutralise_bidi(html.escape(text))


def _pre(text: str) -> str:
    """Text kept as written (code, output), escaped, cut for display."""
    if len(text) > SHOWN_OUTPUT_CHARS:
        text = text[:SHOWN_OUTPUT_CHARS] + "\n…"
    return f'<pre style="margin:0; white-space:pre-wrap">{_escaped(text)}</pre>'


def local_time(stamp: str) -> str:
    """An ISO 8601 time from the API in the user's time zone and locale (as given when it
    cannot be read)."""
    when = QDateTime.fromString(stamp, Qt.DateFormat.ISODateWithMs)
    if not when.isValid():
        return stamp
    return QLocale().toString(when.toLocalTime(), QLocale.FormatType.ShortFormat)


class ServerToolRow(QWidget):
    """See the module docstring.

    Signals:
        link_activated(str): a link in the row was clicked (the reply opens or confirms it).
    """

    link_activated = Signal(str)

    def __init__(self, activity: ServerToolActivity, theme: Theme,
                 parent: QWidget | None = None, *, streaming: bool = True) -> None:
        super().__init__(parent)
        self.activity = activity
        self._theme = theme
        self._open = False
        self._streaming = True  # a call with no result is still running (else: cut off)
        self._links: dict[str, list[str]] = {}  # href -> the texts shown for it
        self._built = False  # the details were filled in
        self.toggle = fold_toggle()
        self.toggle.clicked.connect(lambda: self.set_open(not self._open))
        self.error = QLabel()
        self.error.setObjectName("HintLabel")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setContentsMargins(18, 0, 0, 0)  # under the row's words, not its chevron
        self.details = QLabel()
        self.details.setObjectName("ToolCallDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setOpenExternalLinks(False)
        self.details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction)
        self.details.linkActivated.connect(self.link_activated)
        self.details.linkHovered.connect(self._on_link_hovered)
        # The code run's files (``set_produced_files_view``); empty for other calls.
        self.produced_files_place = QWidget()
        self.produced_files_place.setObjectName("ProducedFilesPlace")
        self.produced_files_layout = QVBoxLayout(self.produced_files_place)
        self.produced_files_layout.setContentsMargins(12, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        layout.addWidget(self.details)
        layout.addWidget(self.produced_files_place)
        self.details.hide()
        self.produced_files_place.hide()
        self.set_activity(activity, streaming=streaming)

    # -- state -----------------------------------------------------------------------------------

    @property
    def tool_use_id(self) -> str:
        return self.activity.tool_use_id

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def file_ids(self) -> tuple[str, ...]:
        """The files this call made (a code run), by Files API id."""
        output = self.activity.output
        return output.file_ids if output is not None else ()

    def set_produced_files_view(self, view: QWidget) -> None:
        """Put the view of the files this run made (H4's ``ProducedFilesView`` for
        ``file_ids``) in ``produced_files_place``, shown whether the row is open or not."""
        self.produced_files_layout.addWidget(view)
        self._refresh_details()

    def set_activity(self, activity: ServerToolActivity, *, streaming: bool = True) -> None:
        """Show the call as it is now (cheap when nothing changed); ``streaming``: the reply
        is still coming, so a call without a result is running, not cut off."""
        changed = activity != self.activity or streaming != self._streaming
        self.activity, self._streaming = activity, streaming
        if changed or not self._built:
            self._refresh_header()
            failed = activity.status == ActivityStatus.FAILED
            self.error.setText(error_words(activity) if failed else "")
            self.error.setVisible(failed)
            self._refresh_details()

    def set_open(self, open_: bool) -> None:
        self._open = open_
        self._refresh_header()
        self._refresh_details()

    def link_texts(self, href: str) -> list[str]:
        """The visible text of each link to ``href`` in the row (for the deception check)."""
        return list(self._links.get(href, []))

    # -- words -----------------------------------------------------------------------------------

    def summary(self) -> str:
        """The row's one line: what was done, and how it ended."""
        text = self._summary()
        if self.activity.status == ActivityStatus.PENDING and not self._streaming:
            # The reply ended (stopped, failed, paused) before the result came.
            return self.tr("{what} — not finished").format(what=text.removesuffix("…"))
        return text

    def _summary(self) -> str:
        a = self.activity
        pending, failed = a.status == ActivityStatus.PENDING, a.status == ActivityStatus.FAILED
        query = neutralise_bidi(" ".join(a.query.split()))
        if a.kind == ActivityKind.SEARCH and not query:  # its input is still streaming
            return self.tr("Searching the web…") if pending else self.tr("Web search")
        if a.kind == ActivityKind.SEARCH:
            if pending:
                return self.tr("Searching: “{query}”…").format(query=query)
            if failed:
                return self.tr("Search failed: “{query}”").format(query=query)
            count = len(a.hits)
            return (self.tr("Searched: “{query}” — 1 result") if count == 1 else self.tr(
                "Searched: “{query}” — {count} results")).format(query=query, count=count)
        if a.kind == ActivityKind.FETCH:
            page = neutralise_bidi(" ".join(a.title.split()) or site_of(a.url) or a.url)
            if pending:
                return self.tr("Reading {page}…").format(page=page)
            if failed:
                return self.tr("Could not read {page}").format(page=page)
            return self.tr("Read: {page}").format(page=page)
        if a.kind in (ActivityKind.CODE, ActivityKind.BASH):
            if pending:
                return self.tr("Running code…")
            if failed:
                return self.tr("Code run failed")
            code = a.output.return_code if a.output is not None else None
            if code is None:
                return self.tr("Ran code")
            return self.tr("Ran code — exit code {code}").format(code=code)
        if a.kind == ActivityKind.EDITOR:
            path = neutralise_bidi(a.path)
            if failed:
                return self.tr("File edit failed: {path}").format(path=path)
            if a.command == "view":
                return self.tr("Viewed {path}").format(path=path)
            if a.command == "create":
                return self.tr("Wrote {path}").format(path=path)
            return self.tr("Edited {path}").format(path=path)
        if a.kind == ActivityKind.TOOL_SEARCH:
            return self.tr("Looked for tools: “{query}”").format(query=query)
        return self.tr("Used {tool}").format(tool=neutralise_bidi(a.name))

    def _refresh_header(self) -> None:
        theme = self._theme
        text = self.summary()
        self.toggle.setText(text)
        failed = self.activity.status == ActivityStatus.FAILED
        colour = theme.accent if failed else theme.muted
        self.toggle.setIcon(chevron(self._open, colour))
        self.toggle.setAccessibleName(self.tr("Claude's tool: {what}").format(what=text))

    def _refresh_details(self) -> None:
        self._links, self._built = {}, True
        parts = self._detail_parts()
        if self.activity.kind in (ActivityKind.SEARCH, ActivityKind.FETCH) and parts:
            # Titles and addresses read best in the body's font (the details are monospace,
            # for code).
            parts = [in_body_font("".join(parts), "div")]
        self.details.setText("".join(parts))
        self.details.setVisible(self._open and bool(parts))
        self.produced_files_place.setVisible(self.produced_files_layout.count() > 0)

    def _link(self, url: str, text: str) -> str:
        shown = text or url
        if not web_url(url.strip()):
            return _escaped(shown)
        self._links.setdefault(url, []).append(shown)
        return (f'<a href="{html.escape(url, quote=True)}" style="color:{self._theme.accent}">'
                f"{_escaped(shown)}</a>")

    def _muted(self, text: str) -> str:
        return f'<span style="color:{self._theme.muted}">{_escaped(text)}</span>'

    def _heading(self, text: str) -> str:
        return f'<p style="margin:6px 0 2px 0"><b>{_escaped(text)}</b></p>'

    def _detail_parts(self) -> list[str]:
        """The opened row's HTML, a piece per section (every piece escaped)."""
        a = self.activity
        parts: list[str] = []
        if a.kind == ActivityKind.SEARCH:
            for hit in a.hits:
                line = self._link(hit.url, " ".join(hit.title.split()))
                extra = " · ".join(p for p in (site_of(hit.url), hit.page_age) if p)
                parts.append(f'<p style="margin:2px 0">{line}'
                             f'{" " + self._muted("· " + extra) if extra else ""}</p>')
            if a.status == ActivityStatus.DONE and not a.hits:
                parts.append(self._muted(self.tr("No results.")))
        elif a.kind == ActivityKind.FETCH:
            if a.url:
                parts.append(f'<p style="margin:2px 0">{self._link(a.url, a.url)}</p>')
            if a.retrieved_at:
                parts.append(self._muted(self.tr("Read at {time}").format(
                    time=local_time(a.retrieved_at))))
        elif a.kind in (ActivityKind.CODE, ActivityKind.BASH):
            parts += [self._heading(self.tr("Code") if a.kind == ActivityKind.CODE
                                    else self.tr("Command")), _pre(a.code)]
            output = a.output
            if output is not None:
                if output.stdout_hidden:
                    parts += [self._heading(self.tr("Output")),
                              self._muted(self.tr("(Sent to Claude only, encrypted.)"))]
                elif output.stdout:
                    parts += [self._heading(self.tr("Output")), _pre(output.stdout)]
                if output.stderr:
                    parts += [self._heading(self.tr("Errors")), _pre(output.stderr)]
                if output.return_code is not None:
                    parts.append(self._heading(self.tr("Exit code {code}").format(
                        code=output.return_code)))
                if output.file_ids:
                    parts += [self._heading(self.tr("Files made")),
                              _pre("\n".join(output.file_ids))]
        elif a.kind == ActivityKind.EDITOR:
            editor = a.editor
            if editor is not None and editor.content:
                parts.append(_pre(editor.content))
            elif editor is not None and editor.lines:
                parts.append(_pre("\n".join(editor.lines)))
        elif a.arguments is not None:
            parts.append(_pre(str(a.arguments)))
        return parts

    def _on_link_hovered(self, url: str) -> None:
        self.details.setToolTip(_escaped(url) if url else "")
