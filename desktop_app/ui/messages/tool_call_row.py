"""One tool call in a reply: a quiet row ("Read file · files — Done · 0.4 s") that opens to
the call's arguments and its result, and, while Cairn asks whether it may run, the approval
card (`approval_card.ApprovalCard`) under it.

What is shown comes from three places, newest first: the live call (waiting, asking,
running: `session.tool_activity`), the stored record of the run (the tool results turn's
``tool_runs``), and the ``tool_use`` block itself (what Claude asked for). A result is shown
as text and images; a very long text is cut for display only (Claude received all of it),
with a note saying so. Nothing in a result is ever run or fetched: text is plain text, and an
image is decoded from the bytes the tool returned, within a size limit.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.core.link_safety import neutralise_bidi
from desktop_app.core.tool_calls import CallOutcome, CallRecord
from desktop_app.core.tool_specs import ToolSpec
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.approval_card import ApprovalCard
from desktop_app.ui.messages.fold_toggle import chevron, fold_toggle
from desktop_app.ui.session.tool_activity import CallPhase, LiveCall

SHOWN_RESULT_CHARS = 20_000  # a longer result text is cut for display (never for Claude)
SHOWN_ARGUMENT_CHARS = 200_000  # arguments are shown in full up to this (an approval shows all)
_MAX_IMAGE_BYTES = 20_000_000
_MAX_IMAGE_EDGE = 480  # an image in a result is shown at most this wide or tall
_SPINNER = "◐◓◑◒"  # turns while a call runs
_SPIN_MS = 250


def pretty_json(value: Any) -> str:
    """Arguments as a reader checks them: indented, keys in Claude's order, nothing hidden."""
    try:
        return json.dumps(value, indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def result_text(content: list[dict[str, Any]]) -> str:
    """The text parts of a tool_result's content, joined."""
    parts = []
    for block in content:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "text" and isinstance(block.get("text"), str):
            parts.append(block["text"])
        elif block.get("type") == "document":
            source = block.get("source")
            data = source.get("data") if isinstance(source, dict) else None
            if isinstance(source, dict) and source.get("type") == "text" and isinstance(data, str):
                parts.append(data)
    return "\n\n".join(parts)


def result_images(content: list[dict[str, Any]]) -> list[QImage]:
    """The images of a tool_result's content, decoded (those that fail to decode are left
    out; the text says what the tool returned)."""
    images = []
    for block in content:
        source = block.get("source") if isinstance(block, dict) else None
        if not (isinstance(block, dict) and block.get("type") == "image"
                and isinstance(source, dict) and source.get("type") == "base64"):
            continue
        data = source.get("data")
        if not isinstance(data, str) or len(data) > _MAX_IMAGE_BYTES * 4 // 3 + 4:
            continue
        try:
            raw = base64.b64decode(data, validate=True)
        except ValueError:
            continue
        image = QImage.fromData(raw)
        if not image.isNull():
            images.append(image)
    return images


class ToolCallRow(QWidget):
    """See the module docstring.

    Signals:
        approval_chosen(str, str): (tool use id, ``ApprovalChoice`` value) from the card.
        size_changed: the row opened, closed or got new content (the column re-lays out).
    """

    approval_chosen = Signal(str, str)
    size_changed = Signal()

    def __init__(self, tool_use: dict[str, Any], theme: Theme,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tool_use_id = str(tool_use.get("id", ""))
        self._tool_use = tool_use
        self._theme = theme
        self._open = False
        self._live: LiveCall | None = None
        self._record: CallRecord | None = None
        self._spec: ToolSpec | None = None
        self.toggle = fold_toggle()
        self.toggle.clicked.connect(self._on_toggled)
        self.details = QLabel()
        self.details.setObjectName("ToolCallDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.images = QWidget()
        self._images_layout = QVBoxLayout(self.images)
        self._images_layout.setContentsMargins(12, 0, 0, 0)
        self._shown_images: list[QImage] | None = None
        self.card = ApprovalCard(theme)
        self.card.chosen.connect(
            lambda choice: self.approval_chosen.emit(self.tool_use_id, choice))
        self._ticker = QTimer(self)  # the spinner and running time while the call runs
        self._ticker.setInterval(_SPIN_MS)
        self._spin = 0
        self._ticker.timeout.connect(self._refresh_header)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.card)
        layout.addWidget(self.details)
        layout.addWidget(self.images)
        self.card.hide()
        self.details.hide()
        self.images.hide()

    # -- state -----------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The tool's name as the reader knows it (its title, else its MCP name, else the
        name Claude used)."""
        if self._live is not None and self._live.spec is not None:
            return self._live.spec.title or self._live.spec.tool
        if self._record is not None and (self._record.title or self._record.tool):
            return self._record.title or self._record.tool
        return str(self._tool_use.get("name", ""))

    @property
    def server(self) -> str:
        if self._live is not None and self._live.spec is not None:
            return self._live.spec.server_name
        return self._record.server_name if self._record is not None else ""

    def status_text(self) -> str:
        """What the call is doing or how it ended, with its duration."""
        live, record = self._live, self._record
        if live is not None:
            if live.phase == CallPhase.ASKING:
                return self.tr("Waiting for your approval")
            if live.phase == CallPhase.RUNNING and live.started is not None:
                self._spin = (self._spin + 1) % len(_SPINNER)
                return _SPINNER[self._spin] + " " + self.tr("Running… {seconds} s").format(
                    seconds=int(time.monotonic() - live.started))
            return self.tr("Waiting")
        if record is None:
            return self.tr("Not run")
        seconds = self.tr("{seconds} s").format(
            seconds=f"{record.seconds:.1f}" if record.seconds < 10 else round(record.seconds))
        return {
            CallOutcome.DONE: self.tr("Done · {seconds}").format(seconds=seconds),
            CallOutcome.ERROR: self.tr("Failed · {seconds}").format(seconds=seconds),
            CallOutcome.DENIED: self.tr("Denied"),
            CallOutcome.TIMED_OUT: self.tr("Timed out · {seconds}").format(seconds=seconds),
            CallOutcome.CANCELLED: self.tr("Stopped"),
            CallOutcome.UNAVAILABLE: self.tr("Not available"),
        }.get(record.outcome, record.outcome)

    def set_state(self, tool_use: dict[str, Any], live: LiveCall | None,
                  record: CallRecord | None) -> None:
        """Show the call as it is now."""
        self._tool_use, self._live, self._record = tool_use, live, record
        asking = live is not None and live.phase == CallPhase.ASKING
        if asking:
            assert live is not None
            self.card.ask(live.spec, pretty_json(live.arguments), live.where)
        self.card.setVisible(asking)
        running = live is not None and live.phase == CallPhase.RUNNING
        if running and not self._ticker.isActive():
            self._ticker.start()
        elif not running:
            self._ticker.stop()
        self._refresh_header()
        self._refresh_details()
        self.size_changed.emit()

    def set_open(self, open_: bool) -> None:
        self._open = open_
        self._refresh_header()
        self._refresh_details()
        self.size_changed.emit()

    @property
    def is_open(self) -> bool:
        return self._open

    # -- drawing ---------------------------------------------------------------------------------

    def _refresh_header(self) -> None:
        theme = self._theme
        server = self.server
        label = f"{self.name} · {server}" if server else self.name
        status = self.status_text()
        self.toggle.setText(f"{neutralise_bidi(label)} — {status}")
        failed = self._record is not None and self._record.outcome != CallOutcome.DONE
        colour = theme.accent if failed else theme.muted
        self.toggle.setIcon(chevron(self._open, colour))
        self.toggle.setAccessibleName(self.tr("Tool call {name}: {status}").format(
            name=self.name, status=status.lstrip(_SPINNER + " ")))

    def _refresh_details(self) -> None:
        if not self._open:
            self.details.hide()
            self.images.hide()
            return
        arguments = pretty_json(self._tool_use.get("input"))
        if len(arguments) > SHOWN_ARGUMENT_CHARS:
            arguments = arguments[:SHOWN_ARGUMENT_CHARS] + "\n…"
        sections = [self.tr("Arguments"), arguments]
        record = self._record
        if record is not None:
            text = result_text(record.content)
            if len(text) > SHOWN_RESULT_CHARS:
                text = text[:SHOWN_RESULT_CHARS] + "\n…\n" + self.tr(
                    "(Showing the first {shown} of {total} characters; Claude received all "
                    "of it.)").format(shown=f"{SHOWN_RESULT_CHARS:,}", total=f"{len(text):,}")
            sections += ["", self.tr("Result") if not record.is_error else self.tr("Error"),
                         text or self.tr("(no text)")]
            images = result_images(record.content)
        else:
            images = []
        self.details.setText(neutralise_bidi("\n".join(sections)))
        self.details.show()
        self._show_images(images)

    def _show_images(self, images: list[QImage]) -> None:
        if self._shown_images is None or len(images) != len(self._shown_images):
            while self._images_layout.count():
                item = self._images_layout.takeAt(0)
                if item.widget() is not None:
                    item.widget().deleteLater()
            for image in images:
                label = QLabel()
                label.setObjectName("ToolResultImage")
                pixmap = QPixmap.fromImage(image)
                if max(image.width(), image.height()) > _MAX_IMAGE_EDGE:
                    pixmap = pixmap.scaled(_MAX_IMAGE_EDGE, _MAX_IMAGE_EDGE,
                                           Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation)
                label.setPixmap(pixmap)
                label.setAccessibleName(self.tr("Image returned by the tool"))
                self._images_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignLeft)
            self._shown_images = images
        self.images.setVisible(bool(images))

    def _on_toggled(self) -> None:
        self.set_open(not self._open)

