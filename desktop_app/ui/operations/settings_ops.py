"""The dialogs that change how Cairn asks Claude: Settings (the defaults), this
conversation's options (thinking, effort, caching, length, its tools) and its system prompt.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from desktop_app.core.tool_selection import ToolSelection
from desktop_app.ui.lib.async_dialogs import run_and_discard
from desktop_app.ui.operations.context import Changes, OperationContext
from desktop_app.ui.session.tool_rounds import SELECTION_OPTION


class SettingsOps(QObject):
    """See the module docstring. Each dialog is window-modal and awaited, never ``exec()``d.

    Signals:
        restart_requested: the settings were saved with "Restart now" (a new language);
            ``app.py`` closes the window and starts Cairn again.
    """

    restart_requested = Signal()

    def __init__(self, context: OperationContext) -> None:
        super().__init__(context.parent)
        self._context = context
        self._controller = context.controller

    def on_settings_requested(self) -> None:
        self._context.spawn(self.edit_settings())

    async def edit_settings(self) -> None:
        from desktop_app.ui.dialogs.settings_dialog import SettingsDialog

        controller = self._controller
        dialog = SettingsDialog(
            controller.settings, controller.catalog, controller.test_connection,
            self._context.parent, tool_servers=controller.tool_servers,
        )
        if await run_and_discard(dialog) != QDialog.DialogCode.Accepted:
            return
        restart = dialog.restart_requested
        await controller.apply_settings(dialog.result_settings())  # on disk before a restart
        self._context.changed(Changes(settings=True))
        if restart:
            self.restart_requested.emit()

    def on_options_requested(self) -> None:
        self._context.spawn(self.edit_options())

    async def edit_options(self) -> None:
        controller = self._controller
        conversation = controller.current
        model = controller.model_for(conversation) if conversation else None
        if conversation is None or model is None:
            return
        from desktop_app.ui.dialogs.options_form import ConversationOptionsDialog

        own_tools = conversation.options.get(SELECTION_OPTION)
        dialog = ConversationOptionsDialog(
            model, controller.options_for(conversation), bool(conversation.options),
            self._context.parent, tool_servers=controller.tool_servers,
            tools=ToolSelection.from_json(
                own_tools if own_tools is not None else controller.settings.tools),
            own_tools=own_tools is not None,
            server_tools=controller.server_tools_for(conversation),
            server_tool_defaults=controller.settings.server_tools,
        )
        if await run_and_discard(dialog) != QDialog.DialogCode.Accepted:
            return
        if dialog.use_defaults:
            await controller.set_conversation_options(None)
        else:
            await controller.set_conversation_options(
                dialog.form.options(), tools=dialog.tool_selection(),
                server_tools=dialog.server_tool_overrides())
        self._context.changed(Changes(header=True, estimate=True))

    def on_system_prompt_requested(self) -> None:
        self._context.spawn(self.edit_system_prompt())

    async def edit_system_prompt(self) -> None:
        conversation = self._controller.current
        if conversation is None:
            return
        from desktop_app.ui.dialogs.settings_dialog import SystemPromptDialog

        dialog = SystemPromptDialog(conversation.system_prompt, self._context.parent)
        if await run_and_discard(dialog) != QDialog.DialogCode.Accepted:
            return
        await self._controller.set_system_prompt(dialog.text)
        self._context.changed(Changes(header=True))
