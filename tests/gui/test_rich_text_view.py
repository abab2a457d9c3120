"""The reply text widget: laid out exactly as tall as a QLabel would make it, and what a
reader does with text works: select, copy, click and Tab to links, the context menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QAccessible, QContextMenuEvent, QGuiApplication, QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.markdown import MarkdownRenderer
from desktop_app.ui.messages.rich_text_view import RichTextView
from tests.helpers.gui_helpers import is_laid_out, point_on_link

SAMPLES = {
    "prose": "Paragraph with **bold**, *italic*, `code` and a [link](https://example.com).\n\n"
             + "A longer paragraph that has to wrap over several lines at a narrow width. " * 6,
    "code": "Before.\n\n```python\ndef f(x):\n    return x * 2  # a comment\n```\n\nAfter.",
    "table": "| Approach | Safe | Cost |\n|---|---|---|\n"
             "| open | no | 1 ms |\n| rename | yes | 2 ms |",
    "lists": "1. one\n2. two\n   - nested\n   - more\n\n- [x] done\n- [ ] to do\n\n> quoted text",
    "maths": "Inline $x^2 + y_1$ and display:\n\n$$\\frac{a}{b} = \\sqrt{c}$$\n",
    "cjk": "中文段落，用来检查换行。" * 12
           + "\n\n## 标题\n\nMixed 中文 and English text.",
}


def html_of(markdown: str) -> str:
    return MarkdownRenderer().render(markdown)[0]


@pytest.fixture
def column(qtbot):
    """A shown window with a column, as the message view gives each piece its width."""
    window = QWidget()
    window.setStyleSheet("#ReplyText { font-size: 11pt; }")
    QVBoxLayout(window).addStretch(1)  # each piece gets the height it asks for
    window.resize(520, 700)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def add_view(column, html: str) -> RichTextView:
    view = RichTextView(column)
    view.setObjectName("ReplyText")
    view.setText(html)
    column.layout().insertWidget(column.layout().count() - 1, view)
    return view


def laid_out(qtbot, view: RichTextView) -> None:
    """Wait until the column has given the view its width and the height it asked for."""
    qtbot.waitUntil(lambda: is_laid_out(view))


def move(view: RichTextView, point: QPoint, buttons=Qt.MouseButton.NoButton) -> None:
    """The mouse moves over the view (qtbot.mouseMove sends no event on offscreen)."""
    QApplication.sendEvent(view, QMouseEvent(
        QMouseEvent.Type.MouseMove, QPointF(point), view.mapToGlobal(QPointF(point)),
        Qt.MouseButton.NoButton, buttons, Qt.KeyboardModifier.NoModifier))


@pytest.mark.parametrize("name", sorted(set(SAMPLES) - {"code"}))
def test_each_text_is_exactly_as_tall_as_a_label_makes_it(name, column):
    """No text is cut off and no blank stretch is left, at any width, for every kind of
    block the renderer makes (code blocks are views of their own: see the next test)."""
    html = html_of(SAMPLES[name])
    view = add_view(column, html)
    label = QLabel(column)
    label.setObjectName("ReplyText")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(html)
    label.ensurePolished()
    view.ensurePolished()
    assert view.font() == label.font()
    for width in (200, 333, 480, 777):
        assert view.heightForWidth(width) == label.heightForWidth(width), width


def test_a_code_block_view_fills_its_place_at_every_width(column, qtbot):
    """A code block is a view laid over the text (code_blocks.py): the text leaves it room
    between "Before." and "After.", whatever the width, since code does not wrap."""
    view = add_view(column, html_of(SAMPLES["code"]))
    laid_out(qtbot, view)
    view.repaint()
    (block,) = view.code_blocks.views
    line = view.fontMetrics().height()
    assert block.isVisible() and line <= block.y()
    assert block.y() + block.height() + line <= view.height() <= block.y() + block.height() + 3 * line
    assert block.x() == 0 and block.width() == view.width()
    heights = {view.heightForWidth(width) for width in (200, 333, 480, 777)}
    assert heights == {view.height()}
    assert view.plain_text() == "Before.\ndef f(x):\n    return x * 2  # a comment\nAfter."


def test_the_column_gives_the_view_its_height_and_text_is_painted(column, qtbot):
    view = add_view(column, html_of(SAMPLES["prose"]))
    laid_out(qtbot, view)
    image = view.grab().toImage()
    background = image.pixel(image.width() - 1, image.height() - 1)
    inked = sum(1 for y in range(image.height()) for x in range(0, image.width(), 2)
                if image.pixel(x, y) != background)
    assert inked > 500  # the words are drawn


def test_dragging_selects_and_ctrl_c_copies_plain_text(column, qtbot):
    view = add_view(column, html_of("First words of the reply.\n\nSecond paragraph here."))
    laid_out(qtbot, view)
    start = QPoint(1, 5)
    end = QPoint(view.width() - 2, view.height() - 3)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    move(view, end, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=end)
    assert view.selected_text() == "First words of the reply.\nSecond paragraph here."
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == view.selected_text()
    image = view.grab().toImage()  # the selection is shown in the highlight colour
    highlight = view.palette().color(QPalette.ColorRole.Highlight).rgb()
    assert any(image.pixel(x, 8) == highlight for x in range(image.width()))


def test_double_click_selects_a_word_and_clicking_elsewhere_moves_on(column, qtbot):
    view = add_view(column, html_of("Alpha beta gamma"))
    laid_out(qtbot, view)
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=QPoint(3, 6))
    assert view.selected_text() == "Alpha"
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(view.width() - 3, 6))
    assert view.selected_text() == ""


def test_triple_click_selects_the_paragraph(column, qtbot):
    view = add_view(column, html_of("Alpha beta gamma, a whole sentence.\n\nNext paragraph."))
    laid_out(qtbot, view)
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=QPoint(3, 6))
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(3, 6))
    assert view.selected_text() == "Alpha beta gamma, a whole sentence."


def test_a_click_on_a_link_reports_it_and_a_drag_over_it_does_not(column, qtbot):
    view = add_view(column, html_of("Read [the docs](https://example.com/docs) first."))
    laid_out(qtbot, view)
    on_link = point_on_link(view, "https://example.com/docs")
    with qtbot.waitSignal(view.link_activated) as clicked:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=on_link)
    assert clicked.args == ["https://example.com/docs"]
    seen: list[str] = []
    view.link_activated.connect(seen.append)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=on_link)
    move(view, QPoint(view.width() - 2, on_link.y()), Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=on_link)
    assert seen == [] and view.selected_text()


def test_the_pointer_is_a_hand_over_links_only(column, qtbot):
    view = add_view(column, html_of("Plain words, then [a link](https://example.com)."))
    laid_out(qtbot, view)
    move(view, point_on_link(view, "https://example.com"))
    assert view.cursor().shape() == Qt.CursorShape.PointingHandCursor
    move(view, QPoint(3, 6))
    assert view.cursor().shape() == Qt.CursorShape.IBeamCursor


def test_tab_reaches_each_link_and_enter_opens_it(column, qtbot):
    before = QPushButton("before", column)
    column.layout().insertWidget(0, before)
    view = add_view(column, html_of(
        "See [one](https://one.example) and [two](https://two.example)."))
    after = QPushButton("after", column)
    column.layout().insertWidget(column.layout().count() - 1, after)
    plain = add_view(column, html_of("No links here."))
    assert plain.focusPolicy() == Qt.FocusPolicy.ClickFocus  # not a Tab stop
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    seen: list[str] = []
    view.link_activated.connect(seen.append)
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert view.hasFocus() and view.selected_text() == "one"
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.hasFocus() and view.selected_text() == "two"
    qtbot.keyClick(view, Qt.Key.Key_Enter)
    assert seen == ["https://one.example", "https://two.example"]
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert after.hasFocus() and view.selected_text() == ""  # leaving clears the highlight
    qtbot.keyClick(after, Qt.Key.Key_Backtab)
    assert view.hasFocus() and view.selected_text() == "two"


def open_menu(view: RichTextView, point: QPoint) -> QMenu:
    QApplication.sendEvent(view, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, view.mapToGlobal(point)))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def choose(menu: QMenu, text: str) -> None:
    next(a for a in menu.actions() if a.text() == text).trigger()
    menu.close()


def test_the_context_menu_copies_the_selection_and_the_link(column, qtbot):
    view = add_view(column, html_of("Words and [a link](https://example.com/x)."))
    laid_out(qtbot, view)
    menu = open_menu(view, point_on_link(view, "https://example.com/x"))
    assert [(a.text(), a.isEnabled()) for a in menu.actions() if a.text()] == [
        ("Copy", False), ("Copy Link Address", True), ("Select All", True)]
    choose(menu, "Copy Link Address")
    assert QGuiApplication.clipboard().text() == "https://example.com/x"
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)

    choose(open_menu(view, QPoint(2, 4)), "Select All")
    assert view.selected_text() == "Words and a link."
    menu = open_menu(view, QPoint(2, 4))
    assert [a.text() for a in menu.actions() if a.text()] == ["Copy", "Select All"]  # no link
    choose(menu, "Copy")
    assert QGuiApplication.clipboard().text() == "Words and a link."


def test_new_text_replaces_the_old_and_its_height(column, qtbot):
    view = add_view(column, html_of("Short."))
    short = view.heightForWidth(400)
    view.setText(html_of("Much longer text that wraps. " * 30))
    assert view.heightForWidth(400) > 3 * short
    assert "Much longer text" in view.text()
    before = view.heightForWidth(400)
    view.setStyleSheet("font-size: 22pt")  # a new font lays the text out again
    view.ensurePolished()
    assert view.heightForWidth(400) > 1.5 * before


def test_screen_readers_are_given_the_text(column, qtbot):
    view = add_view(column, html_of("Hello **there**, reader."))
    laid_out(qtbot, view)
    assert view.accessibleDescription() == ""  # nobody listening: no cost
    QAccessible.setActive(True)
    try:
        view.setText(html_of("New words for the *screen reader*."))
        qtbot.waitUntil(lambda: view.accessibleDescription() == "New words for the screen reader.")
    finally:
        QAccessible.setActive(False)


# -- a link's real target (issue 17: deceptive links) ---------------------------------------

DECEPTIVE_TEXT = ("Sign in at [https://bank.example.com/login](https://evil.example.net/login)"
                  " or read [the docs](https://example.com/docs).")


@pytest.fixture
def status(column):
    """The column's status line, showing the link tips sent inside the column."""
    from desktop_app.ui.window.status_tips import StatusTips

    label = QLabel("Ready", column)
    column.layout().insertWidget(0, label)
    StatusTips(label, column)
    return label


def show_tooltip(qtbot, view: RichTextView, point: QPoint) -> str:
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    QApplication.sendEvent(view, QHelpEvent(QHelpEvent.Type.ToolTip, point, view.mapToGlobal(point)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_hovering_a_link_shows_its_real_target_in_the_status_line(column, status, qtbot):
    view = add_view(column, html_of(DECEPTIVE_TEXT))
    laid_out(qtbot, view)
    move(view, point_on_link(view, "https://evil.example.net/login"))
    assert status.text() == "https://evil.example.net/login"
    move(view, point_on_link(view, "https://example.com/docs"))
    assert status.text() == "https://example.com/docs"
    move(view, QPoint(2, 4))  # off the links: what it said before comes back
    assert status.text() == "Ready"
    move(view, point_on_link(view, "https://evil.example.net/login"))
    QApplication.sendEvent(view, QEvent(QEvent.Type.Leave))
    assert status.text() == "Ready"


def test_a_status_message_given_while_hovering_is_not_overwritten(column, status, qtbot):
    view = add_view(column, html_of(DECEPTIVE_TEXT))
    laid_out(qtbot, view)
    move(view, point_on_link(view, "https://example.com/docs"))
    status.setText("Reply copied")
    move(view, QPoint(2, 4))
    assert status.text() == "Reply copied"


def test_an_international_target_is_shown_as_looked_up_and_as_it_reads(column, status, qtbot):
    view = add_view(column, html_of("Visit [Apple](https://аррӏе.com/login)."))
    laid_out(qtbot, view)
    move(view, point_on_link(view, "https://xn--80ak6aa92e.com/login"))
    assert status.text() == "https://xn--80ak6aa92e.com/login  (аррӏе.com)"


def test_the_tooltip_shows_the_target_and_warns_about_a_deceptive_link(column, qtbot):
    view = add_view(column, html_of(DECEPTIVE_TEXT))
    laid_out(qtbot, view)
    tip = show_tooltip(qtbot, view, point_on_link(view, "https://evil.example.net/login"))
    assert "https://evil.example.net/login" in tip and "ask before opening" in tip
    tip = show_tooltip(qtbot, view, point_on_link(view, "https://example.com/docs"))
    assert "https://example.com/docs" in tip and "ask" not in tip
    assert show_tooltip(qtbot, view, QPoint(2, 4)) == ""  # no tooltip off the links


def test_tab_to_a_link_shows_its_target_in_the_status_line(column, status, qtbot):
    before = QPushButton("before", column)
    column.layout().insertWidget(1, before)
    view = add_view(column, html_of(DECEPTIVE_TEXT))
    after = QPushButton("after", column)
    column.layout().insertWidget(column.layout().count() - 1, after)
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert view.selected_text() == "https://bank.example.com/login"
    assert status.text() == "https://evil.example.net/login"
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert status.text() == "https://example.com/docs"
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert after.hasFocus() and status.text() == "Ready"


def test_the_text_of_each_link_is_known(column, qtbot):
    view = add_view(column, html_of(
        "[one **bold**](https://a.example) and [two](https://a.example), [x](https://b.example)"))
    assert view.link_texts("https://a.example") == ["one bold", "two"]
    assert view.link_texts("https://c.example") == []


def test_a_right_to_left_override_cannot_reverse_the_line(column, qtbot):
    """Written with U+202E, "evil.net/txt.exe" would read "exe.txt/ten.live"; it reads in the
    order it was written, with the control shown."""
    view = add_view(column, html_of("[bank.com\u202emoc.live](https://evil.net) and file\u202etxt.exe"))
    laid_out(qtbot, view)
    view.select_all()
    assert view.selected_text() == "bank.com[U+202E]moc.live and file[U+202E]txt.exe"


def test_the_host_shown_is_the_host_qt_opens_or_the_link_asks():
    """Whatever address the model writes, the host Cairn reads from it (and shows) is the
    one QDesktopServices.openUrl would contact, or the link asks before opening."""
    import html as html_module
    import re

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from desktop_app.core.link_safety import check_link
    from desktop_app.ui.lib.link_host import opened_host

    pieces = st.sampled_from([
        "https://", "http://", "HTTPS://", "bank.example.com", ".evil.net", "@", "/", "\\",
        "xn--80ak6aa92e", ".com", "аррӏе", ":8080", "?q=", "#", "%40", "%2F", "%2E", "%41",
        "%D0%B0", "[", "]", "::1", "user:pw", "。", "．", "\u200b", "\u202e", "Ａ", "a", "..",
        ":", "%", "0x7f", "127.1", "3232235777", "ß", "İ"])
    renderer = MarkdownRenderer()

    @settings(max_examples=300, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(pieces, min_size=1, max_size=8).map("".join))
    def check(address):
        rendered = renderer.render(f"[site](<{address}>)")[0]
        for href in re.findall(r'href="([^"]*)"', rendered):
            href = html_module.unescape(href)
            qt_host = opened_host(href)
            if qt_host is None:
                continue  # not a web address Qt accepts: it is never opened
            alone = check_link("site", href)
            assert alone.host_ascii.rstrip(".") == qt_host.rstrip(".") or alone.asks, href
            with_qt = check_link("site", href, qt_host)
            assert with_qt.host_ascii.rstrip(".") == qt_host.rstrip("."), href

    check()
