"""The main window: sidebar | header, messages, composer and status line.

It wires widgets to the controller and owns the few tasks its own slots start; closing it
cancels them, lets the controller shut down, and only then really closes.

It is a top-level window of its own (tests, embedding), or the content of the ``AppFrame`` that
the app shows before Cairn has loaded (``ui/startup_shell.py``); what a top-level window does
(title, geometry, closing, coming forward) goes through ``window()``, which is either.

Signals:
    closed: the window has finished shutting down and closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QMimeData,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.conversation import Conversation
from desktop_app.core.cost import format_dollars, format_tokens
from desktop_app.core.options import describe, describe_long
from desktop_app.storage.key_store import mask
from desktop_app.ui.lib.async_dialogs import run_dialog
from desktop_app.ui.composer.attachment_strip import AttachmentStrip
from desktop_app.ui.session.outgoing_attachments import image_in
from desktop_app.ui.session.chat_controller import ChatController
from desktop_app.ui.composer.composer_widget import Composer
from desktop_app.ui.transfer.data_transfer import DataTransfer
from desktop_app.ui.sidebar.conversation_list_model import ConversationListModel, display_title
from desktop_app.ui.window.header_bar import HeaderBar
from desktop_app.ui.lib.icons import app_icon, icon, tinted_svg_file
from desktop_app.ui.messages.message_view import MessageView
from desktop_app.ui.messages.rich_text_view import StatusTips
from desktop_app.ui.sidebar.sidebar_widget import Sidebar
from desktop_app.ui.window.startup_shell import (
    COMPOSER_MAX_WIDTH,
    DEFAULT_SIZE,
    MINIMUM_SIZE,
    SIDEBAR_WIDTH,
    WINDOW_TITLE,
    AppFrame,
    restore_place,
)
from desktop_app.ui.lib.theme import Theme, current_theme, style_sheet

if TYPE_CHECKING:
    from desktop_app.ui.dialogs.key_dialog import KeyDialog

log = logging.getLogger(__name__)

ESTIMATE_DELAY_MS = 600


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
        self._tasks: set[asyncio.Task[Any]] = set()
        self._shutdown_started = False
        self._shutdown_done = False
        self._key_dialog: KeyDialog | None = None  # dialogs are imported when first opened
        self._estimate_task: asyncio.Task[None] | None = None
        self._attach_dir = Path.home()
        self._export_dir = Path.home()
        self.transfer = DataTransfer(controller, self)
        self._tray: QSystemTrayIcon | None = None
        self._quitting = False
        self._estimate_timer = QTimer(self)  # count_tokens once typing pauses, never per key
        self._estimate_timer.setSingleShot(True)
        self._estimate_timer.setInterval(ESTIMATE_DELAY_MS)
        self._estimate_timer.timeout.connect(self._estimate)
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
        self._connect()
        self._install_shortcuts()
        QApplication.styleHints().colorSchemeChanged.connect(self._on_os_scheme_changed)
        self.apply_theme()
        self._update_tray()
        self._restore_geometry()

    # -- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        self.list_model = ConversationListModel(self)
        self.sidebar = Sidebar(self.list_model, self.theme)
        self.header = HeaderBar(self.theme)
        self.system_button = QToolButton()
        self.system_button.setToolTip(self.tr("Edit this conversation's system prompt"))
        self.system_button.setAccessibleName(self.tr("System prompt"))
        self.header.layout().insertWidget(2, self.system_button)
        self.messages = MessageView(self.theme, self.controller)
        self.composer = Composer(self.theme)
        self.attachment_strip = AttachmentStrip(self.theme)
        self.drop_hint = QLabel(self.tr("Drop images or PDFs to attach them"), self)
        self.drop_hint.setObjectName("DropHint")
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.hide()
        self.setAcceptDrops(True)
        self.status_line = QLabel(self.tr("Starting…"))
        self.status_line.setObjectName("StatusLine")
        self.status_line.setAccessibleName(self.tr("Status"))
        self.status_tips = StatusTips(self.status_line, self)  # a link's target on hover

        self.notice_bar = QWidget()
        self.notice_bar.setObjectName("NoticeBar")
        self.notice_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.notice_text = QLabel()
        self.notice_text.setTextFormat(Qt.TextFormat.PlainText)  # titles, file names: never markup
        self.notice_text.setWordWrap(True)
        self.notice_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice_close = QToolButton()
        self.notice_close.setAccessibleName(self.tr("Dismiss"))
        self.notice_close.clicked.connect(self.notice_bar.hide)
        notice_layout = QHBoxLayout(self.notice_bar)
        notice_layout.setContentsMargins(14, 6, 8, 6)
        notice_layout.addWidget(self.notice_text, 1)
        notice_layout.addWidget(self.notice_close)
        self.notice_bar.hide()

        self.undo_bar = QWidget()
        self.undo_bar.setObjectName("NoticeBar")
        self.undo_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.undo_text = QLabel()
        self.undo_text.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo delete"))
        self.undo_button.clicked.connect(self._undo_delete)
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(14, 4, 8, 4)
        undo_layout.addWidget(self.undo_text, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()
        self._undo_id: str | None = None
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.timeout.connect(self.undo_bar.hide)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(24, 4, 24, 10)
        bottom_layout.setSpacing(4)
        composer_row = QHBoxLayout()
        composer_row.addStretch(1)
        composer_row.addWidget(self.composer, 100)
        composer_row.addStretch(1)
        self.composer.setMaximumWidth(COMPOSER_MAX_WIDTH)
        self.estimate_label = QLabel()
        self.estimate_label.setObjectName("EstimateLabel")
        self.estimate_label.setAccessibleName(self.tr("Token and cost estimate"))
        self.estimate_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        status_box = QWidget()
        status_box.setMaximumWidth(COMPOSER_MAX_WIDTH)
        status_inner = QHBoxLayout(status_box)
        status_inner.setContentsMargins(4, 0, 4, 0)
        status_inner.addWidget(self.status_line, 1)
        status_inner.addWidget(self.estimate_label)
        status_row = QHBoxLayout()
        status_row.addStretch(1)
        status_row.addWidget(status_box, 100)
        status_row.addStretch(1)
        strip_row = QHBoxLayout()
        strip_row.addStretch(1)
        strip_row.addWidget(self.attachment_strip, 100)
        strip_row.addStretch(1)
        self.attachment_strip.setMaximumWidth(COMPOSER_MAX_WIDTH)
        bottom_layout.addLayout(strip_row)
        bottom_layout.addLayout(composer_row)
        bottom_layout.addLayout(status_row)

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

    def _connect(self) -> None:
        c = self.controller
        c.conversations_changed.connect(self._on_conversations_changed)
        c.current_changed.connect(self._on_current_changed)
        c.message_added.connect(self._on_message_added)
        c.message_changed.connect(self._on_message_changed)
        c.message_removed.connect(self._on_message_removed)
        c.path_changed.connect(self._on_path_changed)
        c.busy_changed.connect(self._on_busy_changed)
        c.status_changed.connect(self.status_line.setText)
        c.key_required.connect(self.ask_for_key)
        c.notice.connect(self.show_notice)
        c.catalog_changed.connect(self._on_catalog_changed)
        c.deleted.connect(self._on_deleted)
        c.key_changed.connect(self._update_key_state)

        self.sidebar.new_requested.connect(self.new_conversation)
        self.sidebar.selected.connect(c.select)
        self.sidebar.rename_requested.connect(lambda cid, title: self.spawn(c.rename(cid, title)))
        self.sidebar.delete_requested.connect(c.delete_with_undo)
        self.sidebar.pin_requested.connect(lambda cid, pinned: self.spawn(c.set_pinned(cid, pinned)))
        self.sidebar.query_changed.connect(self._refresh_sidebar)
        self.sidebar.hit_chosen.connect(self._open_hit)
        self.sidebar.export_requested.connect(self.export_conversation)
        self.sidebar.more_menu_requested.connect(self._show_more_menu)
        self.sidebar.settings_requested.connect(self.open_settings)
        self.sidebar.key_requested.connect(lambda: self.ask_for_key(""))
        self.header.model_chosen.connect(self._on_model_chosen)
        self.header.options_requested.connect(self.edit_options)
        self.composer.edit.textChanged.connect(self._estimate_timer.start)
        self.header.sidebar_toggled.connect(self.toggle_sidebar)
        self.system_button.clicked.connect(self.edit_system_prompt)
        self.messages.retry_requested.connect(self._on_retry)
        self.messages.continue_requested.connect(c.continue_reply)
        self.messages.edit_requested.connect(self._on_edit)
        self.messages.branch_requested.connect(
            lambda message_id, step: self.spawn(c.switch_branch(message_id, step))
        )
        self.messages.example_chosen.connect(self._on_example)
        self.messages.status_message.connect(self.status_line.setText)
        self.messages.link_confirmation_requested.connect(self._confirm_link)
        self.composer.send_requested.connect(self._on_send)
        tray = c.attachments
        tray.changed.connect(self._on_tray_changed)
        tray.problem.connect(self.attachment_strip.show_problem)
        self.attachment_strip.remove_requested.connect(tray.remove)
        self.composer.attach_file_requested.connect(self.pick_files)
        self.composer.attach_url_requested.connect(self.ask_image_url)
        self.composer.edit.files_pasted.connect(tray.add_paths)
        self.composer.edit.image_pasted.connect(self._on_image_pasted)
        self.composer.stop_requested.connect(c.stop)

    def _install_shortcuts(self) -> None:
        def add(sequence: QKeySequence | str, slot: Any) -> None:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

        add("Ctrl+N", self.new_conversation)
        add("Ctrl+F", self.sidebar.focus_search)
        add("Ctrl+,", self.open_settings)
        add("Ctrl+B", self.toggle_sidebar)
        add("Ctrl+O", self.pick_files)
        add("Ctrl+Q", self.quit)
        add("F1", self.open_about)
        add("Esc", self.controller.stop)
        add("Ctrl+Down", lambda: self.step_conversation(1))
        add("Ctrl+Up", lambda: self.step_conversation(-1))
        add("Ctrl+/", self.show_shortcuts)

    def apply_theme(self) -> None:
        self.theme = current_theme(self.controller.settings.theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            chevron = tinted_svg_file(
                "chevron-down", self.theme.muted, self.controller.services.paths.cache_dir / "icons"
            )
            app.setStyleSheet(style_sheet(self.theme, chevron.as_posix()))
        self.sidebar.apply_theme(self.theme)
        self.messages.apply_theme(self.theme)
        self.header.apply_theme(self.theme)
        self.composer.apply_theme(self.theme)
        self.system_button.setIcon(icon("pencil", self.theme.muted, 16))
        self.notice_close.setIcon(icon("x", self.theme.muted, 14))

    def _on_os_scheme_changed(self) -> None:
        """The OS switched between light and dark: follow it unless the user chose one."""
        if self.controller.settings.theme == "system":
            self.apply_theme()

    # -- tasks ----------------------------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a coroutine for a slot; the window owns it and cancels it on close."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(_report_failure)
        return task

    # -- actions ---------------------------------------------------------------------------------

    def bring_forward(self) -> None:
        """Another launch for this data folder asked for the window: show it on top."""
        top = self.window()
        if top.isMinimized():
            top.showNormal()
        top.show()
        top.raise_()
        top.activateWindow()

    def _confirm_link(self, text: str, url: str) -> None:
        """A link that may not go where it seems was clicked: ask before opening it."""
        from desktop_app.ui.dialogs.link_dialog import confirm_and_open

        self.spawn(confirm_and_open(self, text, url))

    # -- export and import ---------------------------------------------------------------------

    def export_conversation(self, conversation_id: str, kind: str) -> None:
        self.spawn(self._export_conversation_flow(conversation_id, kind))

    async def _export_conversation_flow(self, conversation_id: str, kind: str) -> None:
        conversation = self.controller.conversation(conversation_id)
        if conversation is None:
            return
        suffix = ".md" if kind == "markdown" else ".json"
        name = _safe_file_name(conversation.title) + suffix
        path = await self._ask_save_path(
            self.tr("Export conversation"), name,
            "Markdown (*.md)" if kind == "markdown" else "JSON (*.json)",
        )
        if path is not None:
            self.show_notice(await self.transfer.export_conversation(conversation_id, kind, path))

    def export_all(self) -> None:
        self.spawn(self._export_all_flow())

    async def _export_all_flow(self) -> None:
        from datetime import date

        path = await self._ask_save_path(
            self.tr("Back up all conversations"), f"cairn-backup-{date.today():%Y-%m-%d}.zip",
            self.tr("Zip archive") + " (*.zip)",
        )
        if path is not None:
            self.show_notice(await self.transfer.export_all(path))

    def import_data(self) -> None:
        self.spawn(self._import_flow())

    async def _import_flow(self) -> None:
        dialog = QFileDialog(self, self.tr("Import conversations"), str(self._export_dir))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([
            self.tr("Cairn backups, exported conversations, claude.ai exports") + " (*.zip *.json)",
            self.tr("All files") + " (*)",
        ])
        try:
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
                return
            path = Path(dialog.selectedFiles()[0])
        finally:
            dialog.deleteLater()
        self._export_dir = path.parent
        self.status_line.setText(self.tr("Importing {name}…").format(name=path.name))
        self.show_notice(await self.transfer.import_file(path))
        self.status_line.setText(self.tr("Ready"))

    async def _ask_save_path(self, title: str, name: str, name_filter: str) -> Path | None:
        dialog = QFileDialog(self, title, str(self._export_dir / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(name_filter)
        try:
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
                return None
            path = Path(dialog.selectedFiles()[0])
        finally:
            dialog.deleteLater()
        self._export_dir = path.parent
        return path

    def show_shortcuts(self) -> None:
        from desktop_app.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _show_more_menu(self, where: QPoint) -> None:
        self.more_menu().popup(where)

    def more_menu(self) -> QMenu:
        """The sidebar foot's ⋯ menu: import, export everything, shortcuts."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("Import conversations…"), self.import_data)
        menu.addAction(self.tr("Export all data…"), self.export_all)
        menu.addSeparator()
        menu.addAction(self.tr("Keyboard shortcuts"), self.show_shortcuts)
        menu.addAction(self.tr("About Cairn"), self.open_about)
        return menu

    def open_about(self) -> None:
        from desktop_app.ui.dialogs.about_dialog import AboutDialog

        dialog = AboutDialog(self.controller.services.paths.data_dir, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def quit(self) -> None:
        """Ctrl+Q and the tray's Quit: close for real, even with the tray icon on."""
        self._quitting = True
        self.window().close()

    def _update_tray(self) -> None:
        wanted = self.controller.settings.tray_icon and QSystemTrayIcon.isSystemTrayAvailable()
        if wanted and self._tray is None:
            self._tray = QSystemTrayIcon(app_icon(), self)
            self._tray.setToolTip("Cairn")
            menu = QMenu(self)
            menu.addAction(self.tr("Show Cairn"), self.bring_forward)
            menu.addAction(self.tr("Quit"), self.quit)
            self._tray.setContextMenu(menu)
            self._tray.activated.connect(lambda _reason: self.bring_forward())
            self._tray.show()
        elif not wanted and self._tray is not None:
            self._tray.hide()
            self._tray.deleteLater()
            self._tray = None

    def new_conversation(self) -> None:
        self.controller.new_conversation()
        self.composer.focus()

    def toggle_sidebar(self) -> None:
        self.sidebar.setVisible(not self.sidebar.isVisible())

    def show_notice(self, text: str) -> None:
        self.notice_text.setText(text)
        self.notice_bar.show()

    def ask_for_key(self, reason: str) -> None:
        """Show the key dialog (once at a time)."""
        if self._key_dialog is None and not self._shutdown_started:
            self.spawn(self._key_flow(reason))

    async def _key_flow(self, reason: str) -> None:
        from desktop_app.ui.dialogs.key_dialog import KeyDialog

        dialog = KeyDialog(reason, self)
        self._key_dialog = dialog
        dialog.finished.connect(self._forget_key_dialog)  # at once, so it can be asked again
        try:
            accepted = await run_dialog(dialog) == QDialog.DialogCode.Accepted
            key = dialog.key
        finally:
            self._forget_key_dialog()
            dialog.deleteLater()
        if not accepted or not key:
            if not self.controller.api_key:
                self.status_line.setText(self.tr("No API key: click the key icon to add one"))
            return
        result = await self.controller.set_api_key(key)
        if result.problem:
            self.show_notice(result.problem)
        self._update_key_state()
        self.composer.focus()

    def pick_files(self) -> None:
        self.spawn(self._pick_files_flow())

    async def _pick_files_flow(self) -> None:
        dialog = QFileDialog(self, self.tr("Attach images or PDFs"), str(self._attach_dir))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters([
            self.tr("Images and PDFs")
            + " (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.tif *.tiff *.heic *.pdf)",
            self.tr("All files") + " (*)",
        ])
        try:
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return
            paths = [Path(p) for p in dialog.selectedFiles()]
        finally:
            dialog.deleteLater()
        if paths:
            self._attach_dir = paths[0].parent  # the next pick starts where this one ended
        self.controller.attachments.add_paths(paths)
        self.composer.focus()

    def ask_image_url(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Attach an image link"))
        dialog.setLabelText(self.tr("Image address (http or https):"))
        dialog.textValueSelected.connect(self.controller.attachments.add_url)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_image_pasted(self, mime: QMimeData) -> None:
        picture = image_in(mime)  # not decoded or encoded here: the tray's worker does that
        if picture is None:
            self.attachment_strip.show_problem(self.tr("The pasted image could not be read."))
            return
        self.controller.attachments.add_image(*picture)

    def _on_tray_changed(self) -> None:
        tray = self.controller.attachments
        self.attachment_strip.show_items(tray.items, tray.busy)
        self.composer.set_has_attachments(bool(tray.items))
        self._estimate_timer.start()  # the estimate includes what is attached

    # -- drag and drop: anywhere on the window ------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()
            self.drop_hint.setGeometry(self.rect())
            self.drop_hint.raise_()
            self.drop_hint.show()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self.drop_hint.hide()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self.drop_hint.hide()
        mime = event.mimeData()
        files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        links = [u.toString() for u in mime.urls() if u.scheme() in ("http", "https")]
        if files:
            self.controller.attachments.add_paths(files)
        for link in links:
            self.controller.attachments.add_url(link)
        if not files and not links and mime.hasImage():
            self._on_image_pasted(mime)
        event.acceptProposedAction()
        self.composer.focus()

    def _forget_key_dialog(self) -> None:
        self._key_dialog = None

    def open_settings(self) -> None:
        self.spawn(self._settings_flow())

    async def _settings_flow(self) -> None:
        from desktop_app.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.controller.settings, self.controller.catalog, self.controller.test_connection, self
        )
        try:
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return
            new_settings = dialog.result_settings()
        finally:
            dialog.deleteLater()
        await self.controller.apply_settings(new_settings)
        self.apply_theme()
        self._update_tray()
        self._on_catalog_changed()
        self._estimate_timer.start()

    def edit_options(self) -> None:
        self.spawn(self._options_flow())

    async def _options_flow(self) -> None:
        conversation = self.controller.current
        model = self.controller.model_for(conversation) if conversation else None
        if conversation is None or model is None:
            return
        from desktop_app.ui.dialogs.options_form import ConversationOptionsDialog

        dialog = ConversationOptionsDialog(
            model, self.controller.options_for(conversation), bool(conversation.options), self
        )
        try:
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return
            chosen = None if dialog.use_defaults else dialog.form.options()
        finally:
            dialog.deleteLater()
        await self.controller.set_conversation_options(chosen)
        self._update_header()
        self._estimate_timer.start()

    def _estimate(self) -> None:
        if self._shutdown_started:
            return
        if self._estimate_task is not None and not self._estimate_task.done():
            self._estimate_task.cancel()
        self._estimate_task = self.spawn(self._update_estimate())

    async def _update_estimate(self) -> None:
        """Input size, what sending would cost (at the long-context rate when the prompt is
        above the model's threshold), and how full the context window is."""
        from desktop_app.core.cost import estimate_send_cost

        conversation = self.controller.current
        model = self.controller.model_for(conversation) if conversation else None
        tokens = await self.controller.count_input(self.composer.text)
        if tokens is None or model is None or conversation is not self.controller.current:
            self.estimate_label.setText("")
            return
        price = self.controller.services.prices.price(model.id)
        parts = [self.tr("{tokens} tokens in").format(tokens=format_tokens(tokens))]
        if price is not None:
            cost = format_dollars(estimate_send_cost(tokens, price))
            if price.is_long_context(tokens):
                parts.append(self.tr("≈ {cost} to send (long-context rate)").format(cost=cost))
            else:
                parts.append(self.tr("≈ {cost} to send").format(cost=cost))
        else:
            parts.append(self.tr("price unknown"))
        if model.max_input_tokens:
            parts.append(self.tr("{tokens} / {window} context").format(
                tokens=format_tokens(tokens), window=format_tokens(model.max_input_tokens)))
        self.estimate_label.setText(" · ".join(parts))
        self.estimate_label.setToolTip(self.tr(
            "Counted by the API for this conversation plus what you typed, before caching "
            "discounts. The context figure is how full the model's context window would be."
        ))

    def edit_system_prompt(self) -> None:
        self.spawn(self._system_prompt_flow())

    async def _system_prompt_flow(self) -> None:
        conversation = self.controller.current
        if conversation is None:
            return
        from desktop_app.ui.dialogs.settings_dialog import SystemPromptDialog

        dialog = SystemPromptDialog(conversation.system_prompt, self)
        try:
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return
            text = dialog.text
        finally:
            dialog.deleteLater()
        await self.controller.set_system_prompt(text)
        self._update_header()

    # -- controller events -----------------------------------------------------------------------

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

    def _open_hit(self, conversation_id: str, message_id: str) -> None:
        """A search hit inside a message: open the conversation there."""
        self.controller.select(conversation_id)
        current = self.controller.current
        if current is not None and current.id == conversation_id:
            self.messages.reveal(message_id)

    def step_conversation(self, step: int) -> None:
        """Ctrl+Down / Ctrl+Up: the next or previous conversation in the sidebar's order."""
        ids = self.list_model.conversation_ids()
        if not ids:
            return
        current = self.controller.current
        at = ids.index(current.id) if current is not None and current.id in ids else -1
        target = min(len(ids) - 1, max(0, at + step)) if at >= 0 else (0 if step > 0 else len(ids) - 1)
        self.controller.select(ids[target])

    def _on_deleted(self, conversation_id: str, title: str) -> None:
        self._undo_id = conversation_id
        self.undo_text.setText(self.tr("Deleted “{title}”.").format(title=display_title(title)))
        self.undo_bar.show()
        self._undo_timer.start(int(self.controller.undo_seconds * 1000))

    def _undo_delete(self) -> None:
        if self._undo_id is not None:
            self.controller.undo_delete(self._undo_id)
        self._undo_id = None
        self.undo_bar.hide()
        self.composer.focus()

    def _on_current_changed(self, conversation: Conversation | None) -> None:
        self.estimate_label.setText("")
        self._estimate_timer.start()
        self.messages.show_conversation(conversation)
        self.sidebar.show_current(conversation.id if conversation else None)
        self.composer.set_busy(self.controller.is_busy(conversation))
        self._update_header()
        self.composer.focus()

    def _on_message_added(self, conversation_id: str, message: Any) -> None:
        if self._is_current(conversation_id):
            self.messages.add_message(message)

    def _on_message_changed(self, conversation_id: str, message_id: str) -> None:
        if self._is_current(conversation_id):
            self.messages.update_message(message_id)

    def _on_message_removed(self, conversation_id: str, message_id: str) -> None:
        if self._is_current(conversation_id):
            self.messages.remove_message(message_id)

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
                self._estimate_timer.start()

    def _on_catalog_changed(self) -> None:
        current = self.controller.current
        model = self.controller.model_for(current) if current else None
        self.header.set_models(
            self.controller.catalog, self.controller.services.prices, model.id if model else None
        )
        self._update_key_state()
        self._update_header()  # what the model supports may have changed
        self._estimate_timer.start()  # counting needs a model the API knows

    def _on_model_chosen(self, model_id: str) -> None:
        self.spawn(self._switch_model(model_id))
        self.composer.focus()

    async def _switch_model(self, model_id: str) -> None:
        await self.controller.set_model(model_id)
        self._update_header()
        self._estimate_timer.start()

    def _on_send(self, text: str) -> None:
        if self.controller.send(text):
            self.composer.clear()
        self.composer.focus()

    def _on_retry(self, message_id: str) -> None:
        self.controller.retry(message_id)

    def _on_edit(self, message_id: str, text: str) -> None:
        if self.controller.is_busy():
            self.status_line.setText(
                self.tr("Wait for the reply to finish (or stop it) before editing."))
            return
        self.controller.edit_message(message_id, text)
        self.composer.focus()

    def _on_example(self, text: str) -> None:
        self.composer.set_text(text)
        self.composer.focus()

    def _is_current(self, conversation_id: str) -> bool:
        current = self.controller.current
        return current is not None and current.id == conversation_id

    def _update_header(self) -> None:
        conversation = self.controller.current
        if conversation is None:
            return
        self.header.set_title(display_title(conversation.title))
        model = self.controller.model_for(conversation)
        self.header.select_model(model.id if model else None)
        if model is not None:
            options = self.controller.options_for(conversation)
            self.header.set_options_summary(describe(options, model), describe_long(options, model))
        cost = self.controller.conversation_cost(conversation)
        spent = bool(conversation.auxiliary_usage) or any(
            m.usage for m in conversation.all_messages() if m.role == "assistant"
        )
        shown = format_dollars(cost) if cost is not None else self.tr("price unknown")
        self.header.set_cost(
            shown if spent else "",
            self.controller.describe_conversation_cost(conversation) if spent else "",
        )
        self.system_button.setToolTip(self.tr("System prompt (click to edit): {prompt}").format(
            prompt=conversation.system_prompt[:200] or self.tr("none")
        ))

    def _update_key_state(self) -> None:
        key, source = self.controller.api_key, self.controller.key_source
        if not key:
            self.sidebar.set_key_state(self.tr("No API key"), self.tr("Click to add your API key"))
            return
        label, tip = {
            "environment": (self.tr("Key: env"), self.tr("API key {key}, from ANTHROPIC_API_KEY")),
            "keyring": (self.tr("Key: keyring"),
                        self.tr("API key {key}, kept in the system keyring")),
            "session": (self.tr("Key: session"),
                        self.tr("API key {key}, kept for this session only (no keyring)")),
        }.get(source or "", (self.tr("Key set"), self.tr("API key {key}")))
        self.sidebar.set_key_state(label, tip.format(key=mask(key)))

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

    def _save_geometry(self) -> None:
        top = self.window()
        self._window_state.setValue("geometry", top.saveGeometry())
        self._window_state.setValue("size", top.size())
        self._window_state.setValue("splitter", self.splitter.saveState())
        self._window_state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.isWindow():
            self.handle_close(event)
        else:  # inside an AppFrame: closing this closes the window (which calls handle_close)
            event.ignore()
            self.window().close()

    def handle_close(self, event: QCloseEvent) -> None:
        """Close in stages: first cancel and save everything, then really close."""
        if self._shutdown_done:
            event.accept()
            self.closed.emit()
            return
        event.ignore()
        if self._tray is not None and not self._quitting:
            self.window().hide()  # the tray icon keeps Cairn running; its menu quits
            return
        if not self._shutdown_started:
            self._shutdown_started = True
            self._estimate_timer.stop()
            self._save_geometry()
            asyncio.ensure_future(self._shut_down())

    async def _shut_down(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.controller.shutdown()
        self._shutdown_done = True
        self.window().close()


def _safe_file_name(title: str) -> str:
    """A conversation title made fit to be a file name on every system."""
    cleaned = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in title).strip(" .")
    return cleaned[:80] or "conversation"


def _report_failure(task: asyncio.Task[Any]) -> None:
    if task.cancelled() or task.exception() is None:
        return
    log.error("task failed", exc_info=task.exception())
    parent = QApplication.activeWindow()
    if parent is not None:
        text = QCoreApplication.translate("MainWindow", "Something went wrong: {error}").format(
            error=task.exception()
        )
        box = QMessageBox(QMessageBox.Icon.Warning, "Cairn", text, QMessageBox.StandardButton.Ok,
                          parent)
        box.open()
