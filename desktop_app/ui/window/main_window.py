"""The main window: sidebar | header, notices, messages, composer and status line, as layout
and wiring. What the user asks for goes to the operations (``ui/operations``); what the
controller announces is shown here; closing runs ``Shutdown`` once.

It is a top-level window of its own (tests, embedding), or the content of the ``AppFrame`` that
the app shows before Cairn has loaded (``window/startup_shell.py``); what a top-level window
does (title, geometry, closing, coming forward) goes through ``window()``, which is either.

Signals:
    closed: the window has finished shutting down and closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.conversation import Conversation
from desktop_app.ui.composer.attachment_strip import AttachmentStrip
from desktop_app.ui.composer.composer_widget import Composer
from desktop_app.ui.lib.application_theme import apply_application_theme
from desktop_app.ui.lib.elided_label import ElidedLabel
from desktop_app.ui.lib.icons import app_icon
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.lib.shortcuts import install_shortcuts
from desktop_app.ui.lib.theme import Theme, current_theme
from desktop_app.ui.messages.message_view import MessageView
from desktop_app.ui.operations.attachment_ops import AttachmentOps
from desktop_app.ui.operations.context import Changes, OperationContext, report_failure
from desktop_app.ui.operations.conversation_ops import ConversationOps
from desktop_app.ui.operations.files_ops import FilesOps
from desktop_app.ui.operations.help_ops import HelpOps
from desktop_app.ui.operations.key_ops import KeyOps
from desktop_app.ui.operations.message_ops import MessageOps
from desktop_app.ui.operations.settings_ops import SettingsOps
from desktop_app.ui.operations.transfer_ops import TransferOps
from desktop_app.ui.session.chat_controller import ChatController
from desktop_app.ui.sidebar.conversation_list_model import ConversationListModel, display_title
from desktop_app.ui.sidebar.sidebar_widget import Sidebar
from desktop_app.ui.transfer.data_transfer import DataTransfer
from desktop_app.ui.window.cost_estimate import CostEstimate
from desktop_app.ui.window.file_drop import FileDrop
from desktop_app.ui.window.header_bar import HeaderBar
from desktop_app.ui.window.notice_bar import NoticeBar
from desktop_app.ui.window.shutdown import Shutdown
from desktop_app.ui.window.startup_shell import (COMPOSER_MAX_WIDTH, DEFAULT_SIZE, MINIMUM_SIZE,
                                                 SIDEBAR_WIDTH, WINDOW_TITLE, AppFrame,
                                                 restore_place, save_place)
from desktop_app.ui.window.status_tips import StatusTips
from desktop_app.ui.window.tray_icon import TrayIcon

STATUS_GAP = 20  # px between the status line and the estimate beside it


class MainWindow(QMainWindow):
    """See the module docstring."""

    closed = Signal()

    def __init__(self, controller: ChatController, frame: AppFrame | None = None) -> None:
        """``frame``: the already shown top-level window this one is built into (see
        ``AppFrame.adopt``); without it, this is a top-level window itself."""
        super().__init__(frame)
        if frame is not None:  # QMainWindow makes itself a window even with a parent
            self.setWindowFlags(Qt.WindowType.Widget)
        self._frame = frame  # Python's reference keeps the top-level window (and so this) alive
        self.controller = controller
        self.theme: Theme = current_theme(controller.settings.theme)
        self.tasks = OwnedTasks(on_failure=report_failure)
        self.shutdown = Shutdown(self.tasks, controller, self)
        self.shutdown.finished.connect(lambda: self.window().close())
        self.transfer = DataTransfer(controller, self)
        self.tray = TrayIcon(self)
        self._quitting = False
        self._shown_id: str | None = None  # the conversation the status line speaks of
        self._shown_any = False  # until the first one is shown, the status says "Starting…"
        self._window_state = QSettings(
            str(controller.services.paths.config_dir / "window.ini"), QSettings.Format.IniFormat
        )

        top = self.window()
        top.setWindowTitle(WINDOW_TITLE)
        top.setWindowIcon(app_icon())
        top.setMinimumSize(MINIMUM_SIZE)
        if frame is None:
            self.resize(DEFAULT_SIZE)
        self._build()
        self._make_operations()
        self._connect()
        QApplication.styleHints().colorSchemeChanged.connect(self._on_os_scheme_changed)
        self.apply_theme()
        self.tray.set_wanted(controller.settings.tray_icon)
        self._restore_geometry()

    # -- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        self.list_model = ConversationListModel(self)
        self.sidebar = Sidebar(self.list_model, self.theme)
        self.header = HeaderBar(self.theme)
        self.messages = MessageView(self.theme, self.controller)
        self.composer = Composer(self.theme)
        self.attachment_strip = AttachmentStrip(self.theme)
        self.file_drop = FileDrop(self)
        # Both lines of the bottom row give way ("…") rather than widen the window.
        self.status_line = ElidedLabel(self.tr("Starting…"))
        self.status_line.setObjectName("StatusLine")
        self.status_line.setAccessibleName(self.tr("Status"))
        self.status_tips = StatusTips(self.status_line, self)  # a link's target on hover
        self.estimate_label = CostEstimate(self.controller, lambda: self.composer.text, self.tasks)
        self.notice_bar = NoticeBar()
        self.undo_bar = NoticeBar(self.tr("Undo"), self.tr("Undo delete"))

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(24, 4, 24, 10)
        bottom_layout.setSpacing(4)
        status_box = QWidget()
        status_inner = QHBoxLayout(status_box)
        status_inner.setContentsMargins(4, 0, 4, 0)
        status_inner.setSpacing(STATUS_GAP)  # the status and the estimate read as two texts
        status_inner.addWidget(self.status_line, 1)
        status_inner.addWidget(self.estimate_label)
        for widget in (self.attachment_strip, self.composer, status_box):
            widget.setMaximumWidth(COMPOSER_MAX_WIDTH)
            row = QHBoxLayout()  # centred
            row.addStretch(1)
            row.addWidget(widget, 100)
            row.addStretch(1)
            bottom_layout.addLayout(row)

        pane = QWidget()
        pane.setObjectName("ConversationPane")
        pane_layout = QVBoxLayout(pane)
        pane_layout.setContentsMargins(0, 0, 0, 0)
        pane_layout.setSpacing(0)
        pane_layout.addWidget(self.header)
        pane_layout.addWidget(self.notice_bar)
        pane_layout.addWidget(self.undo_bar)
        pane_layout.addWidget(self.messages, 1)
        pane_layout.addWidget(bottom)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([SIDEBAR_WIDTH, DEFAULT_SIZE.width() - SIDEBAR_WIDTH])
        self.setCentralWidget(self.splitter)

    def _make_operations(self) -> None:
        context = OperationContext(
            controller=self.controller, parent=self, tasks=self.tasks,
            show_status=self.status_line.setText, show_notice=self.notice_bar.show_message,
            focus_composer=self.composer.focus, changed=self.on_operation_executed,
            closing=lambda: self.shutdown.started,
        )
        self.conversation_ops = ConversationOps(
            context, self.composer, self.messages, self.list_model)
        self.message_ops = MessageOps(context, self.messages.requests, self.composer)
        self.settings_ops = SettingsOps(context)
        self.key_ops = KeyOps(context)
        self.attachment_ops = AttachmentOps(context, self.attachment_strip)
        self.files_ops = FilesOps(context)
        self.transfer_ops = TransferOps(context, self.transfer)
        self.help_ops = HelpOps(context)

    def _connect(self) -> None:
        """What each widget asks for goes to one operation; what the controller announces
        is shown."""
        c = self.controller
        c.conversations_changed.connect(self._on_conversations_changed)
        c.current_changed.connect(self._on_current_changed)
        c.message_added.connect(self.messages.on_message_added)
        c.message_changed.connect(self.messages.on_message_changed)
        self.messages.tool_activity = c.tool_activity
        self.messages.files = c.files
        c.tool_activity.changed.connect(self.messages.on_message_changed)
        c.message_removed.connect(self.messages.on_message_removed)
        c.path_changed.connect(self._on_path_changed)
        c.busy_changed.connect(self._on_busy_changed)
        c.status_changed.connect(self.status_line.setText)
        c.key_required.connect(self.key_ops.on_key_requested)
        c.notice.connect(self.notice_bar.show_message)
        c.catalog_changed.connect(self._on_catalog_changed)
        c.deleted.connect(self._on_deleted)
        c.key_changed.connect(self._on_key_changed)
        c.attachments.changed.connect(self._on_attachments_changed)
        c.attachments.problem.connect(self.attachment_strip.show_problem)

        conversations = self.conversation_ops
        self.sidebar.new_requested.connect(conversations.on_new_requested)
        self.sidebar.selected.connect(conversations.on_selected)
        self.sidebar.hit_chosen.connect(conversations.on_hit_chosen)
        self.list_model.rename_requested.connect(conversations.on_rename_requested)
        self.sidebar.pin_requested.connect(conversations.on_pin_requested)
        self.sidebar.delete_requested.connect(conversations.on_delete_requested)
        self.sidebar.query_changed.connect(self._refresh_sidebar)
        self.sidebar.export_requested.connect(self.transfer_ops.on_export_requested)
        self.sidebar.files_requested.connect(self.files_ops.on_files_requested)
        footer = self.sidebar.footer
        footer.settings_requested.connect(self.settings_ops.on_settings_requested)
        footer.key_requested.connect(self.key_ops.on_key_requested)
        footer.import_requested.connect(self.transfer_ops.on_import_requested)
        footer.export_all_requested.connect(self.transfer_ops.on_export_all_requested)
        footer.shortcuts_requested.connect(self.help_ops.on_shortcuts_requested)
        footer.about_requested.connect(self.help_ops.on_about_requested)
        self.undo_bar.action_clicked.connect(conversations.on_undo_requested)
        self.header.model_chosen.connect(conversations.on_model_chosen)
        self.header.options_requested.connect(self.settings_ops.on_options_requested)
        self.header.system_prompt_requested.connect(self.settings_ops.on_system_prompt_requested)
        self.header.sidebar_toggled.connect(self.sidebar.toggle)
        self.composer.send_requested.connect(conversations.on_send_requested)
        self.composer.stop_requested.connect(conversations.on_stop_requested)
        self.composer.edit.textChanged.connect(self.estimate_label.schedule)
        self.composer.attach_file_requested.connect(self.attachment_ops.on_attach_file_requested)
        self.composer.attach_url_requested.connect(self.attachment_ops.on_attach_url_requested)
        self.composer.attach_code_file_requested.connect(
            self.attachment_ops.on_attach_code_file_requested)
        self.composer.edit.files_pasted.connect(self.attachment_ops.on_files_pasted)
        self.composer.edit.image_pasted.connect(self.attachment_ops.on_image_pasted)
        self.composer.edit.page_requested.connect(self.messages.scroll_page)
        self.attachment_strip.remove_requested.connect(c.attachments.remove)
        self.file_drop.dropped.connect(self.attachment_ops.on_dropped)
        self.tray.show_requested.connect(self.bring_forward)
        self.tray.quit_requested.connect(self.quit)
        install_shortcuts(self, {
            "stop": conversations.on_stop_requested,
            "new_conversation": conversations.on_new_requested,
            "search": self.sidebar.focus_search,
            "previous_conversation": lambda: conversations.on_step_requested(-1),
            "next_conversation": lambda: conversations.on_step_requested(1),
            "attach_files": self.attachment_ops.on_attach_file_requested,
            "toggle_sidebar": self.sidebar.toggle,
            "settings": self.settings_ops.on_settings_requested,
            "shortcuts": self.help_ops.on_shortcuts_requested,
            "about": self.help_ops.on_about_requested,
            "quit": self.quit,
        })

    def apply_theme(self) -> None:
        self.theme = current_theme(self.controller.settings.theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # every window's palette and style sheet
            icon_dir = self.controller.services.paths.cache_dir / "icons"
            apply_application_theme(app, self.theme, icon_dir)
        self.sidebar.apply_theme(self.theme)
        self.messages.apply_theme(self.theme)
        self.header.apply_theme(self.theme)
        self.composer.apply_theme(self.theme)
        self.notice_bar.apply_theme(self.theme)

    def _on_os_scheme_changed(self) -> None:
        """The OS switched between light and dark: follow it unless the user chose one."""
        if self.controller.settings.theme == "system":
            self.apply_theme()

    # -- what the window itself does --------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a coroutine as one of the window's tasks (cancelled and awaited on close)."""
        return self.tasks.spawn(coro)

    def bring_forward(self) -> None:
        """Another launch for this data folder asked for the window: show it on top."""
        top = self.window()
        if top.isMinimized():
            top.showNormal()
        top.show()
        top.raise_()
        top.activateWindow()

    def quit(self) -> None:
        """Ctrl+Q and the tray's Quit: close for real, even with the tray icon on."""
        self._quitting = True
        self.window().close()

    def on_operation_executed(self, changes: Changes) -> None:
        """Refresh what shows what an operation changed."""
        if changes.settings:
            self.apply_theme()
            self.tray.set_wanted(self.controller.settings.tray_icon)
            self._on_catalog_changed()  # the header and the estimate with it
        if changes.header:
            self._update_header()
        if changes.estimate:
            self.estimate_label.schedule()

    # -- what the controller announces ------------------------------------------------------

    def _on_conversations_changed(self) -> None:
        self._refresh_sidebar()
        self._update_header()

    def _refresh_sidebar(self) -> None:
        """The sidebar's rows for the current search (all conversations without one)."""
        rows, matches = self.controller.search_rows(self.sidebar.query)
        self.list_model.set_rows(rows)
        self.sidebar.show_results_state(matches)
        current = self.controller.current
        self.sidebar.show_current(current.id if current else None)

    def _on_deleted(self, conversation_id: str, title: str) -> None:
        self.undo_bar.show_message(
            self.tr("Deleted “{title}”.").format(title=display_title(title)),
            subject=conversation_id, seconds=self.controller.undo_seconds,
        )

    def _on_current_changed(self, conversation: Conversation | None) -> None:
        self._describe_shown_in_status(conversation)
        self.estimate_label.setText("")
        self.estimate_label.schedule()
        self.messages.show_conversation(conversation)
        self.notice_bar.on_conversation_shown(conversation.id if conversation else None)
        self.sidebar.show_current(conversation.id if conversation else None)
        self.composer.set_busy(self.controller.is_busy(conversation))
        self._update_header()
        self.composer.focus()

    def _describe_shown_in_status(self, conversation: Conversation | None) -> None:
        """Another conversation is shown: the status line no longer speaks of the last one's
        reply ("Done · 39 in · 273 out"), but of this one: still replying, or Ready. The
        first conversation shown at start-up keeps "Starting…" until the key is loaded."""
        shown_id = conversation.id if conversation is not None else None
        previous, self._shown_id = self._shown_id, shown_id
        first, self._shown_any = not self._shown_any, True
        if first or previous == shown_id:
            return
        model = self.controller.model_for(conversation) if conversation is not None else None
        if conversation is not None and model is not None and self.controller.is_busy(conversation):
            self.status_line.setText(QCoreApplication.translate(
                "ReplyRunner", "{model} · Streaming…").format(model=model.display_name))
        else:
            self.status_line.setText(self.tr("Ready"))

    def _on_path_changed(self, conversation_id: str) -> None:
        if self._is_current(conversation_id):
            self.messages.show_conversation(self.controller.current)
            self._update_header()

    def _on_busy_changed(self, conversation_id: str, busy: bool) -> None:
        if self._is_current(conversation_id):
            self.composer.set_busy(busy)
            if not busy:
                self.messages.repaint_now()
                self._update_header()
                self.estimate_label.schedule()

    def _on_catalog_changed(self) -> None:
        current = self.controller.current
        model = self.controller.model_for(current) if current else None
        self.header.set_models(
            self.controller.catalog, self.controller.services.prices, model.id if model else None
        )
        self._on_key_changed()
        self._update_header()  # what the model supports may have changed
        self.estimate_label.schedule()  # counting needs a model the API knows

    def _on_key_changed(self) -> None:
        self.sidebar.footer.show_key_state(self.controller.api_key, self.controller.key_source)

    def _on_attachments_changed(self) -> None:
        attachments = self.controller.attachments
        self.attachment_strip.show_items(attachments.items, attachments.busy)
        self.composer.set_has_attachments(bool(attachments.items))
        self.estimate_label.schedule()  # the estimate includes what is attached

    def _is_current(self, conversation_id: str) -> bool:
        current = self.controller.current
        return current is not None and current.id == conversation_id

    def _update_header(self) -> None:
        if self.controller.current is not None:
            self.header.show_conversation(self.controller.current, self.controller)
        self.composer.set_code_execution(
            self.controller.code_execution_on(self.controller.current))

    # -- geometry and closing --------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        splitter = self._window_state.value("splitter")
        self._pending_splitter = splitter if isinstance(splitter, QByteArray) else None
        if self.isWindow():  # in an AppFrame, the frame restored its place before it showed
            restore_place(self, self._window_state)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._pending_splitter is not None:  # once the window has its real size
            self.splitter.restoreState(self._pending_splitter)
            self._pending_splitter = None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.isWindow():
            self.handle_close(event)
        else:  # inside an AppFrame: closing this closes the window (which calls handle_close)
            event.ignore()
            self.window().close()

    def handle_close(self, event: QCloseEvent) -> None:
        """Close in stages: first cancel and save everything (``Shutdown``), then really
        close; with the tray icon on, closing (but not quitting) only hides the window."""
        if self.shutdown.done:
            event.accept()
            self.closed.emit()
            return
        event.ignore()
        if self.tray.shown and not self._quitting:
            self.window().hide()  # the tray icon keeps Cairn running; its menu quits
            return
        if not self.shutdown.started:
            self.estimate_label.stop()
            save_place(self.window(), self._window_state, self.splitter.saveState())
            self.shutdown.start()

