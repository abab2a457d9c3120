"""Asking before a link that may not go where it seems is opened.

``core.link_safety.check_link`` decides which links ask. The dialog says why, and shows the
link's text, the full address it opens, and its site emphasised: as it is looked up
(punycode, which cannot imitate other letters) and, for an internationalised name, as it
reads. Cancel is the default button, so Enter and Esc both leave the link unopened.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.link_safety import (
    INTERNATIONAL_HOST,
    MIXED_SCRIPTS,
    TEXT_SHOWS_OTHER_ADDRESS,
    UNUSUAL_HOST,
    USER_INFO,
    LinkCheck,
    check_link,
    display_url,
    neutralise_bidi,
)
from desktop_app.ui.lib.async_dialogs import run_and_discard
from desktop_app.ui.lib.link_host import opened_host
from desktop_app.ui.messages.rich_text_view import RichTextView

_MAX_TEXT = 500  # characters of link text shown
# The scripts a mixed host is most often made of (others are shown by their Unicode name).
SCRIPT_NAMES = {
    "Latin": QT_TRANSLATE_NOOP("LinkDialog", "Latin"),
    "Cyrillic": QT_TRANSLATE_NOOP("LinkDialog", "Cyrillic"),
    "Greek": QT_TRANSLATE_NOOP("LinkDialog", "Greek"),
    "Armenian": QT_TRANSLATE_NOOP("LinkDialog", "Armenian"),
    "Georgian": QT_TRANSLATE_NOOP("LinkDialog", "Georgian"),
    "Hebrew": QT_TRANSLATE_NOOP("LinkDialog", "Hebrew"),
    "Arabic": QT_TRANSLATE_NOOP("LinkDialog", "Arabic"),
    "Han": QT_TRANSLATE_NOOP("LinkDialog", "Han"),
    "Hiragana": QT_TRANSLATE_NOOP("LinkDialog", "Hiragana"),
    "Katakana": QT_TRANSLATE_NOOP("LinkDialog", "Katakana"),
    "Hangul": QT_TRANSLATE_NOOP("LinkDialog", "Hangul"),
    "Cherokee": QT_TRANSLATE_NOOP("LinkDialog", "Cherokee"),
}


class LinkDialog(QDialog):
    """"Open this link?" for one checked link; accepted means Open."""

    def __init__(self, check: LinkCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self.setWindowTitle(self.tr("Open this link?"))
        self.setMinimumWidth(460)
        self.setMaximumWidth(720)

        heading = self._label(self.tr("This link may not go where it seems"))
        heading.setObjectName("LinkDialogHeading")
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        self.reasons = [self._label(reason) for reason in self._reasons()]

        text = neutralise_bidi(check.text.strip(), marks=True)
        if len(text) > _MAX_TEXT:
            text = text[:_MAX_TEXT] + "…"
        self.text_view = self._field(html.escape(text) or "<i>" + html.escape(
            self.tr("(no text)")) + "</i>")
        self.text_view.setAccessibleName(self.tr("Link text"))
        self.target_view = self._field(_emphasised_host(
            display_url(check.url, check.host_ascii or None), check.host_ascii))
        self.target_view.setAccessibleName(self.tr("Address it opens"))
        self.site = self._label(check.host_ascii or self.tr("(none)"))
        self.site.setObjectName("LinkDialogSite")
        self.site.setFont(font)
        self.site.setAccessibleName(self.tr("Site"))
        written = self.tr("written as: {host}").format(host=check.host)
        if check.lookalike:  # the written form is the disguise itself: say so beside it
            written += " " + self.tr("(other letters than the ones it seems to have)")
        self.site_reads_as = self._label(written)
        self.site_reads_as.setVisible(
            bool(check.host) and check.host.casefold() != check.host_ascii.casefold())

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("Link text:"), self.text_view)
        form.addRow(self.tr("Opens:"), self.target_view)
        site_box = QVBoxLayout()
        site_box.setSpacing(2)
        site_box.addWidget(self.site)
        site_box.addWidget(self.site_reads_as)
        form.addRow(self.tr("Site:"), site_box)

        self.buttons = QDialogButtonBox()
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setAutoDefault(False)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        for label in self.reasons:
            layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.cancel_button.setFocus()

    def _reasons(self) -> list[str]:
        check = self.check
        reasons = []
        if TEXT_SHOWS_OTHER_ADDRESS in check.reasons:
            shown = ", ".join(neutralise_bidi(s, marks=True) for s in check.shown[:3])
            reasons.append(self.tr(
                "Its text shows {shown}, but it opens a different address.").format(shown=shown))
        if USER_INFO in check.reasons:
            reasons.append(self.tr(
                "“{user}” before the @ is not the site: the link goes to {host}.").format(
                    user=check.user_info, host=check.host_ascii))
        if check.lookalike:
            reasons.append(self.tr(
                "The site's letters imitate “{name}”, but it is a different site.").format(
                    name=check.lookalike))
        if MIXED_SCRIPTS in check.reasons:
            reasons.append(self.tr(
                "The site's name mixes letters of different alphabets ({scripts}).").format(
                    scripts=self.tr(", ").join(self._script_name(n) for n in check.scripts)))
        if UNUSUAL_HOST in check.reasons:
            reasons.append(self.tr(
                "The address is written in an unusual form that hides where it goes. It is "
                "shown below as your browser will read it."))
        if INTERNATIONAL_HOST in check.reasons and not check.lookalike:
            reasons.append(self.tr(
                "The site's name is internationalised: some of its letters can look like "
                "other letters. It is shown below as your browser looks it up."))
        return reasons

    def _script_name(self, name: str) -> str:
        known = SCRIPT_NAMES.get(name)
        return QCoreApplication.translate("LinkDialog", known) if known else name

    def _label(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _field(self, html_text: str) -> RichTextView:
        """A selectable piece of text that wraps, also inside a long word (an address)."""
        view = RichTextView(self)
        view.setObjectName("LinkDialogField")
        view.setText(html_text)
        return view


def _emphasised_host(shown: str, host: str) -> str:
    """``shown`` (a display_url) as HTML with its host in bold."""
    start = shown.find("://")
    start = start + 3 if start >= 0 else 0
    end = len(shown)
    for stop in "/?#":
        found = shown.find(stop, start)
        if found >= 0:
            end = min(end, found)
    at = shown.rfind("@", start, end) + 1 or start
    index = shown.find(host, at, end) if host else -1
    if index < 0:
        return html.escape(shown)
    return (html.escape(shown[:index]) + "<b>" + html.escape(host) + "</b>"
            + html.escape(shown[index + len(host):]))


async def confirm_and_open(parent: QWidget, text: str, url: str) -> bool:
    """Ask about a link (shown with ``text``) and open ``url`` if the reader chooses Open.
    Returns whether it was opened."""
    dialog = LinkDialog(check_link(text, url, opened_host(url)), parent)
    accepted = await run_and_discard(dialog) == QDialog.DialogCode.Accepted
    if accepted:
        QDesktopServices.openUrl(QUrl(url))
    return accepted
