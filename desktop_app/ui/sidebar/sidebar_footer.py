"""The sidebar's foot: Settings, the ⋯ menu (import, export, shortcuts, About) and where the
API key comes from.

Its labels never read "Se…gs": when the sidebar is too narrow for a button's text, that
button shows its icon only (Settings first, then the key state) and keeps its tooltip and
accessible name, which say the same and more.

Signals:
    settings_requested: the Settings button was pressed.
    key_requested: the key button was pressed.
    import_requested: "Import conversations…" was chosen in the ⋯ menu.
    export_all_requested: "Export all data…" was chosen in the ⋯ menu.
    shortcuts_requested: "Keyboard shortcuts" was chosen in the ⋯ menu.
    about_requested: "About Cairn" was chosen in the ⋯ menu.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QMenu, QStyle, QToolButton, QWidget

from desktop_app.storage.key_store import mask
from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.menus import add_item, popup_under_button, shortcut_keys
from desktop_app.ui.lib.theme import Theme

_ICON_ONLY = Qt.ToolButtonStyle.ToolButtonIconOnly
_WITH_TEXT = Qt.ToolButtonStyle.ToolButtonTextBesideIcon


class SidebarFooter(QWidget):
    """See the module docstring."""

    settings_requested = Signal()
    key_requested = Signal()
    import_requested = Signal()
    export_all_requested = Signal()
    shortcuts_requested = Signal()
    about_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SidebarFooter")
        self.key_button = QToolButton()
        self.key_button.setToolTip(self.tr("API key"))
        self.key_button.setAccessibleName(self.tr("API key"))
        self.key_button.setToolButtonStyle(_WITH_TEXT)
        self.key_button.clicked.connect(self.key_requested)
        self.settings_button = QToolButton()
        self.settings_button.setText(self.tr("Settings"))
        self.settings_button.setToolTip(self.tr("Settings (Ctrl+,)"))
        self.settings_button.setAccessibleName(self.tr("Settings"))
        self.settings_button.setToolButtonStyle(_WITH_TEXT)
        self.settings_button.clicked.connect(self.settings_requested)
        self.more_button = QToolButton()
        self.more_button.setToolTip(self.tr("Import, export, keyboard shortcuts and About"))
        self.more_button.setAccessibleName(self.tr("More"))
        self.more_button.clicked.connect(self._show_more_menu)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 6, 8, 8)
        self._layout.addWidget(self.settings_button)
        self._layout.addWidget(self.more_button)  # About is in its menu
        self._layout.addStretch(1)
        self._layout.addWidget(self.key_button)
        # The buttons that lose their text first when narrow, in that order.
        self._labelled = (self.settings_button, self.key_button)
        self.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        self.key_button.setIcon(icon("key", theme.muted, 16))
        self.settings_button.setIcon(icon("settings", theme.muted, 16))
        self.more_button.setIcon(icon("more", theme.muted, 16))
        self._fit()

    def show_key_state(self, key: str | None, source: str | None) -> None:
        """Say whether there is a key and where it comes from (the key itself masked)."""
        if not key:
            self._set_key_state(self.tr("No API key"), self.tr("Click to add your API key"))
            return
        label, tip = {
            "environment": (
                self.tr("Key: environment"),
                self.tr("API key {key}, from the ANTHROPIC_API_KEY environment variable"),
            ),
            "keyring": (self.tr("Key: keyring"),
                        self.tr("API key {key}, kept in the system keyring")),
            "session": (self.tr("Key: session"),
                        self.tr("API key {key}, kept for this session only (no keyring)")),
        }.get(source or "", (self.tr("Key set"), self.tr("API key {key}")))
        self._set_key_state(label, tip.format(key=mask(key)))

    def _set_key_state(self, text: str, tooltip: str) -> None:
        self.key_button.setText(text)
        self.key_button.setToolTip(tooltip)
        self.key_button.setAccessibleDescription(tooltip)  # also when only the icon shows
        self._fit()

    def more_menu(self) -> QMenu:
        """The ⋯ menu: import, export everything, shortcuts, About (with their keys)."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("Import conversations…"), self.import_requested.emit)
        menu.addAction(self.tr("Export all data…"), self.export_all_requested.emit)
        menu.addSeparator()
        add_item(menu, self.tr("Keyboard shortcuts"), self.shortcuts_requested.emit,
                 shortcut_keys("shortcuts"))
        add_item(menu, self.tr("About Cairn"), self.about_requested.emit, shortcut_keys("about"))
        return menu

    def _show_more_menu(self) -> None:
        """Above the button when the window has no room below it (it sits at the bottom)."""
        popup_under_button(self.more_menu(), self.more_button)

    def shows_text(self, button: QToolButton) -> bool:
        """Whether a button shows its text (else only its icon, with the text as tooltip)."""
        return button.toolButtonStyle() == _WITH_TEXT

    # -- fitting the width -----------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def _fit(self) -> None:
        """Show as many texts as the width allows, in full; drop Settings' text first."""
        widths = {button: self._widths(button) for button in self._labelled}
        margins = self._layout.contentsMargins()
        spacing = self._layout.spacing()
        if spacing < 0:
            spacing = self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)
        chrome = margins.left() + margins.right() + 2 * spacing
        chrome += self.more_button.sizeHint().width()
        with_text = list(self._labelled)
        while with_text:
            needed = chrome + sum(widths[b][1 if b in with_text else 0] for b in self._labelled)
            if needed <= self.width():
                break
            with_text.pop(0)
        for button in self._labelled:
            wanted = _WITH_TEXT if button in with_text else _ICON_ONLY
            if button.toolButtonStyle() != wanted:
                button.setToolButtonStyle(wanted)

    @staticmethod
    def _widths(button: QToolButton) -> tuple[int, int]:
        """A button's width with its icon only, and with its text beside the icon (measured,
        not cached: the style sheet, the font and the text all play a part)."""
        shown = button.toolButtonStyle()
        widths = []
        for style in (_ICON_ONLY, _WITH_TEXT):
            button.setToolButtonStyle(style)
            widths.append(button.sizeHint().width())
        button.setToolButtonStyle(shown)
        return widths[0], widths[1]
