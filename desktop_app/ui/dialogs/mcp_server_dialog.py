"""Add or edit one MCP server: a local program (command, arguments, working folder,
environment) or a remote one (address, headers).

Save checks the form first and says what is wrong in words, next to the form; then the
server list is saved (``save``, awaited, while the dialog waits: environment and header values
go to the keyring, which can take a moment or fail). The dialog then closes; a save that
failed is said in the server list (the server is used for this run all the same).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.mcp_servers import (
    McpServerConfig,
    Transport,
    config_problems,
    new_server_id,
)
from desktop_app.ui.dialogs.argument_text import ArgumentReading, arguments_text, parse_arguments
from desktop_app.ui.dialogs.form_fields import align_label_columns, problem_label, show_problem
from desktop_app.ui.dialogs.mcp_config_text import config_problem_text
from desktop_app.ui.dialogs.secret_pairs_table import SecretPairsTable
from desktop_app.ui.dialogs.wrapped_text_dialog import WrappedTextDialog
from desktop_app.ui.lib.async_dialogs import run_and_discard, save_cancel_buttons
from desktop_app.ui.lib.owned_tasks import OwnedTasks

SaveServer = Callable[[McpServerConfig], Awaitable[str]]  # returns why it failed, or ""


class McpServerDialog(WrappedTextDialog):
    """One server's settings. ``saved_config`` is what was saved, once the dialog is accepted,
    and ``save_problem`` why it could not be kept ("" when it was).

    Args:
        config: the server to edit; None adds a new one.
        taken_names: the names of the other servers (a name is used once).
        save: keeps the server (the whole list is saved); returns why it could not, or "".
    """

    def __init__(
        self,
        config: McpServerConfig | None,
        taken_names: Collection[str],
        save: SaveServer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit server") if config else self.tr("Add server"))
        self.setMinimumWidth(540)
        self._original = config
        self._taken = {name.strip().casefold() for name in taken_names}
        self._save = save
        self._saving = OwnedTasks()  # not cancelled on close: a save in flight completes
        self._browsing = OwnedTasks()
        self.saved_config: McpServerConfig | None = None
        self.save_problem = ""

        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Server name"))
        self.name.setPlaceholderText(self.tr("How the server is called in Cairn"))
        self.local = QRadioButton(self.tr("Local program"))
        self.local.setToolTip(self.tr("A program on this computer, started by Cairn"))
        self.remote = QRadioButton(self.tr("Remote server"))
        self.remote.setToolTip(self.tr("An address Cairn connects to (Streamable HTTP)"))
        kinds = QButtonGroup(self)
        kinds.addButton(self.local)
        kinds.addButton(self.remote)
        kind_row = QHBoxLayout()
        kind_row.setSpacing(16)
        kind_row.addWidget(self.local)
        kind_row.addWidget(self.remote)
        kind_row.addStretch(1)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._local_page())
        self.pages.addWidget(self._remote_page())
        self.local.toggled.connect(self._on_kind_changed)

        self.problem = problem_label()

        self.buttons = save_cancel_buttons(self)
        self.buttons.accepted.disconnect()  # Save checks and saves first
        self.buttons.accepted.connect(self._on_save_clicked)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self._save_text = self.save_button.text()

        top = QFormLayout()
        top.setSpacing(10)
        top.addRow(self.tr("Name"), self.name)
        top.addRow(self.tr("Kind"), kind_row)
        align_label_columns(top, self.local_form, self.remote_form)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.pages)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._load(config)

    # -- the form --------------------------------------------------------------------------------

    def _local_page(self) -> QWidget:
        self.command = QLineEdit()
        self.command.setAccessibleName(self.tr("Command"))
        self.command.setPlaceholderText(self.tr("e.g. npx, uvx, python or a program's path"))
        self.arguments = QPlainTextEdit()
        self.arguments.setObjectName("FramedText")
        self.arguments.setAccessibleName(self.tr("Arguments"))
        self.arguments.setPlaceholderText(
            self.tr("One per line, or one line split as a shell would"))
        self.arguments.setTabChangesFocus(True)
        self.arguments.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.arguments_reading = QLabel()
        self.arguments_reading.setObjectName("HintLabel")
        self.arguments_reading.setWordWrap(True)
        self.arguments_reading.setTextFormat(Qt.TextFormat.PlainText)
        self.arguments.textChanged.connect(self._show_arguments_reading)
        arguments_field = QWidget()
        arguments_layout = QVBoxLayout(arguments_field)
        arguments_layout.setContentsMargins(0, 0, 0, 0)
        arguments_layout.setSpacing(3)
        arguments_layout.addWidget(self.arguments)
        arguments_layout.addWidget(self.arguments_reading)

        self.folder = QLineEdit()
        self.folder.setAccessibleName(self.tr("Working folder"))
        self.folder.setPlaceholderText(self.tr("Optional"))
        self.browse = QPushButton(self.tr("Browse…"))
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self._on_browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)

        self.environment = SecretPairsTable(self.tr("Variable"), self.tr("Add variable"))
        self.environment.add_note(self._keyring_note())
        page = QWidget()
        self.local_form = QFormLayout(page)
        self.local_form.setContentsMargins(0, 0, 0, 0)
        self.local_form.setSpacing(10)
        self.local_form.addRow(self.tr("Command"), self.command)
        self.local_form.addRow(self.tr("Arguments"), arguments_field)
        self.local_form.addRow(self.tr("Working folder"), folder_row)
        self.local_form.addRow(self.tr("Environment"), self.environment)
        return page

    def _remote_page(self) -> QWidget:
        self.url = QLineEdit()
        self.url.setAccessibleName(self.tr("Address"))
        self.url.setPlaceholderText("https://example.com/mcp")
        self.headers = SecretPairsTable(self.tr("Header"), self.tr("Add header"))
        self.headers.add_note(self._keyring_note())
        page = QWidget()
        self.remote_form = QFormLayout(page)
        self.remote_form.setContentsMargins(0, 0, 0, 0)
        self.remote_form.setSpacing(10)
        self.remote_form.addRow(self.tr("Address"), self.url)
        self.remote_form.addRow(self.tr("Headers"), self.headers)
        return page

    def _keyring_note(self) -> QLabel:
        note = QLabel(self.tr("Values are kept in the system keyring, never in a file."))
        note.setObjectName("HintLabel")
        note.setWordWrap(True)
        return note

    def _load(self, config: McpServerConfig | None) -> None:
        remote = config is not None and config.transport is Transport.HTTP
        (self.remote if remote else self.local).setChecked(True)
        self._on_kind_changed()
        if config is None:
            self._show_arguments_reading()
            return
        self.name.setText(config.name)
        self.command.setText(config.command)
        self.arguments.setPlainText(arguments_text(config.args))
        self.folder.setText(config.cwd)
        self.environment.set_pairs(config.env)
        self.url.setText(config.url)
        self.headers.set_pairs(config.headers)
        self._show_arguments_reading()

    def config(self) -> McpServerConfig:
        """The server as the form describes it (checked by ``problems``)."""
        base = self._original or McpServerConfig(
            id=new_server_id(), name="", transport=Transport.STDIO)
        name = " ".join(self.name.text().split())
        if self.local.isChecked():
            return replace(
                base, name=name, transport=Transport.STDIO, command=self.command.text().strip(),
                args=parse_arguments(self.arguments.toPlainText()).arguments,
                cwd=self.folder.text().strip(), env=self.environment.pairs(), url="", headers=())
        return replace(
            base, name=name, transport=Transport.HTTP, url=self.url.text().strip(),
            headers=self.headers.pairs(), command="", args=(), cwd="", env=())

    def problems(self) -> list[str]:
        """What keeps the form from being saved, in words, in the order of the form."""
        config = self.config()
        found = [config_problem_text(p) for p in config_problems(config)]
        if config.name and config.name.casefold() in self._taken:
            found.insert(0, self.tr("Another server is already called “{name}”.").format(
                name=config.name))
        if self.local.isChecked():
            reading = parse_arguments(self.arguments.toPlainText()).reading
            if reading is ArgumentReading.UNCLOSED_QUOTE:
                found.append(self.tr("The arguments have a quote that is not closed."))
        pairs = config.env if self.local.isChecked() else config.headers
        names = [name for name, _ in pairs]
        if "" in names:
            found.append(self.tr("A value has no name."))
        # Environment names are case-sensitive; HTTP header names are not.
        same: Callable[[str], str] = (lambda n: n) if self.local.isChecked() else str.casefold
        seen: set[str] = set()
        for name in names:
            if name and same(name) in seen:
                found.append(self.tr("“{name}” is given twice.").format(name=name))
            seen.add(same(name))
        return found
        return found

    # -- behaviour -------------------------------------------------------------------------------

    def _on_kind_changed(self) -> None:
        self.pages.setCurrentIndex(0 if self.local.isChecked() else 1)

    def _show_arguments_reading(self) -> None:
        parsed = parse_arguments(self.arguments.toPlainText())
        count = len(parsed.arguments)
        if parsed.reading is ArgumentReading.NONE:
            text = self.tr("No arguments.")
        elif parsed.reading is ArgumentReading.UNCLOSED_QUOTE:
            text = self.tr("A quote is not closed.")
        elif parsed.reading is ArgumentReading.LINES:
            text = self.tr("Read as one argument per line: {count} arguments.").format(
                count=count)
        else:
            shown = "  ".join(f"‹{arg}›" for arg in parsed.arguments[:8])
            shown += " …" if count > 8 else ""
            text = (self.tr("Split as a shell would, into 1 argument: {arguments}") if count == 1
                    else self.tr("Split as a shell would, into {count} arguments: {arguments}")
                    ).format(count=count, arguments=shown)
        self.arguments_reading.setText(text)

    def _on_browse(self) -> None:
        self._browsing.spawn(self._browse())

    async def _browse(self) -> None:
        dialog = QFileDialog(self, self.tr("Working folder"), self.folder.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if await run_and_discard(dialog) == QFileDialog.DialogCode.Accepted:
            chosen = dialog.selectedFiles()
            if chosen:
                self.folder.setText(chosen[0])

    def _on_save_clicked(self) -> None:
        problems = self.problems()
        if problems:
            self._show_problem("\n".join(problems))
            return
        self._show_problem("")
        self._set_busy(True)
        self._saving.spawn(self._save_and_close(self.config()))

    async def _save_and_close(self, config: McpServerConfig) -> None:
        try:
            self.save_problem = await self._save(config)
        finally:
            self._set_busy(False)
        self.saved_config = config
        self.accept()

    def _show_problem(self, text: str) -> None:
        show_problem(self.problem, text)

    def _set_busy(self, busy: bool) -> None:
        """While the list is being saved, the dialog cannot be closed (nor saved twice)."""
        self.buttons.setEnabled(not busy)
        self.save_button.setText(self.tr("Saving…") if busy else self._save_text)

    def reject(self) -> None:  # noqa: D102 - not while a save is in flight
        if self.buttons.isEnabled():
            super().reject()

    def done(self, result: int) -> None:  # noqa: D102 - closing cancels a folder choice
        self._browsing.cancel()
        super().done(result)
