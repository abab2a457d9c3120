"""Maths in replies (issue 18): each formula typeset as one image (a fraction is not "a/b", a
pmatrix is not split over two lines), inline formulas on the text's baseline at its size, in
the theme's text colour, the LaTeX kept for Copy, search, tooltips and screen readers, and
LaTeX that cannot be typeset shown as Unicode text."""

from __future__ import annotations

import itertools
import os

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import (
    QAccessible,
    QColor,
    QGuiApplication,
    QHelpEvent,
    QImage,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QToolTip, QVBoxLayout, QWidget

from desktop_app.core.markdown import MarkdownRenderer
from desktop_app.core.math_typeset import FORMULA_SCHEME, PENDING_MARK, FormulaState
from desktop_app.core.safe_html import LIGHT
from desktop_app.ui.lib.theme import DARK as DARK_THEME
from desktop_app.ui.lib.theme import LIGHT as LIGHT_THEME
from desktop_app.ui.messages.formula_document import FORMULA_OBJECT
from desktop_app.ui.messages.formula_typesetter import formula_typesetter
from desktop_app.ui.messages.rich_text_view import RichTextView
from tests.conftest import until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import chat_with, is_laid_out, sidebar_titles

PMATRIX = r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}"
_unique = itertools.count(os.getpid() * 1000)


def fresh_fraction() -> str:
    """A fraction no earlier test has typeset, so the reply shows it first as text and then,
    once typeset on the worker thread, as an image (the path a new formula takes)."""
    return rf"\frac{{a}}{{b_{{{next(_unique)}}}}}"


def formula_objects(view: RichTextView) -> list[tuple[int, QTextCharFormat]]:
    """(position, format) of each formula in a view's document, in order."""
    document = view._laid_out(view.width())
    found = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            fragments += 1
            if fragment.charFormat().objectType() == FORMULA_OBJECT:
                found.append((fragment.position(), fragment.charFormat()))
        block = block.next()
    return found


def formula_images(view: RichTextView) -> list[tuple[str, str, QImage]]:
    """(image name, LaTeX title, drawn image) of each formula in a view's document."""
    document = view._laid_out(view.width())
    return [(char_format.toImageFormat().name(), char_format.toolTip(),
             document.formula_image(char_format, view.devicePixelRatioF()))
            for _position, char_format in formula_objects(view)]


def formula_box(view: RichTextView, index: int = 0) -> QRectF:
    """Where the index-th formula of a view is drawn (its ink box), in view coordinates."""
    document = view._laid_out(view.width())
    position, char_format = formula_objects(view)[index]
    placed = document.drawn_size(char_format)
    block = document.findBlock(position)
    line = block.layout().lineForTextPosition(position - block.position())
    block_rect = document.documentLayout().blockBoundingRect(block)
    left = block_rect.left() + line.cursorToX(position - block.position())[0]
    baseline = block_rect.top() + line.y() + line.ascent()
    height = placed.ascent + placed.descent
    if char_format.verticalAlignment() != QTextCharFormat.VerticalAlignment.AlignMiddle:
        return QRectF(left, baseline - height, placed.width, height)  # display: on the line
    return QRectF(left, baseline - placed.ascent, placed.width, height)


async def maths_reply(window, qtbot, fake_api, text: str) -> RichTextView:
    """Send a message, get ``text`` back, and wait until its formulas are drawn."""
    fake_api.enqueue(Reply(text))
    reply = (await chat_with(window, qtbot, "maths please")).messages[-1]
    body = window.messages.widget_for(reply.id).body
    await until(lambda: not formula_typesetter().busy, message="formulas typeset")
    (piece,) = [p for p in body.findChildren(RichTextView) if p.isVisible()]
    await until(lambda: is_laid_out(piece), message="reply laid out")
    return piece


@pytest.mark.asyncio
async def test_a_fraction_and_a_pmatrix_are_one_typeset_image_each(app_factory, fake_api, qtbot):
    window = await app_factory()
    fraction = fresh_fraction()
    piece = await maths_reply(window, qtbot, fake_api,
                              f"The ratio ${fraction}$ of two sides, and\n\n\\[\n{PMATRIX}\n\\]\n")
    images = formula_images(piece)
    assert [title for _name, title, _image in images] == [fraction, PMATRIX]
    assert all(not image.isNull() for _name, _title, image in images)
    # No Unicode stand-in left: no "a/b", no bracket pieces, no second matrix line.
    text = piece.text()
    assert "<i>a</i>/" not in text and "⎛" not in text and "(1" not in text
    assert "font-family:Cambria" not in text
    line = piece.fontMetrics().height()
    _fraction, matrix = (image for _name, _title, image in images)
    matrix_height = matrix.height() / matrix.devicePixelRatio()
    assert 1.5 * line < matrix_height < 4 * line  # two rows in one picture, not a page
    box = formula_box(piece, 1)
    assert abs(box.center().x() - piece.width() / 2) <= 2  # centred on its own line
    assert piece.plain_text().splitlines()[-1] == f"$${PMATRIX}$$"


@pytest.mark.asyncio
async def test_latex_that_cannot_be_typeset_stays_readable_text(app_factory, fake_api, qtbot):
    window = await app_factory()
    piece = await maths_reply(window, qtbot, fake_api,
                              "Broken $\\frac{a$ and Chinese $\\text{速度} = v$ and $x^2^3$.")
    assert formula_images(piece) == []
    assert piece.plain_text() == "Broken a/ and Chinese 速度 = v and x23."
    assert formula_typesetter().lookup(r"\text{速度} = v", False) is FormulaState.FAILED


@pytest.fixture
def text_view(qtbot):
    """A reply-sized view in a shown window, light colours, the reply's font."""
    window = QWidget()
    window.setStyleSheet("QWidget { background: #faf8f5; color: #2b2926; }"
                         "#ReplyText { font-size: 11pt; }")
    layout = QVBoxLayout(window)
    view = RichTextView(window)
    view.setObjectName("ReplyText")
    layout.addWidget(view)
    layout.addStretch(1)
    window.resize(520, 200)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield view  # (the window stays referenced until the test ends)


def typeset_html(qtbot, markdown: str) -> str:
    renderer = MarkdownRenderer(LIGHT, formulas=formula_typesetter().lookup)
    html, _ = renderer.render(markdown)
    qtbot.waitUntil(lambda: not formula_typesetter().busy, timeout=10_000)
    html, _ = renderer.render(markdown)
    assert FORMULA_SCHEME in html
    return html


def ink_rows(image: QImage, left: int, right: int) -> list[int]:
    """The rows with dark ink between two columns of a light picture."""
    return [y for y in range(image.height())
            if any(QColor(image.pixel(x, y)).lightness() < 140 for x in range(left, right))]


def test_inline_maths_sits_on_the_text_baseline_at_the_text_size(qtbot, text_view):
    # A fraction on the same line reaches further up and down: the "x" stays on the baseline.
    text_view.setText(typeset_html(qtbot, "Hx $x$ xH and $\\frac{1}{2}$."))
    qtbot.waitUntil(lambda: is_laid_out(text_view))
    shot = text_view.grab().toImage()
    ratio = shot.devicePixelRatio()
    box = formula_box(text_view)
    left, width = round(box.left() * ratio), round(box.width() * ratio)
    metrics = text_view.fontMetrics()
    x_width = round(metrics.horizontalAdvance("x") * ratio)
    text_x = round(metrics.horizontalAdvance("H") * ratio)  # the first "x", as typed
    maths = ink_rows(shot, left, left + width)
    text = ink_rows(shot, text_x + 1, text_x + x_width - 1)
    assert maths and text
    assert abs(max(maths) - max(text)) <= ratio  # the same baseline, to a pixel
    maths_height, text_height = max(maths) - min(maths), max(text) - min(text)
    assert 0.8 * text_height <= maths_height <= 1.5 * text_height  # the text's size


def test_a_formula_is_drawn_in_the_theme_text_colour(qtbot, text_view):
    for palette in (LIGHT_THEME, DARK_THEME):
        assert palette.markdown.math == palette.text, palette.name
        renderer = MarkdownRenderer(palette.markdown, formulas=formula_typesetter().lookup)
        renderer.render(r"$$\sum_{n=1}^{\infty} \frac{1}{n^2}$$")
        qtbot.waitUntil(lambda: not formula_typesetter().busy, timeout=10_000)
        text_view.setText(renderer.render(r"$$\sum_{n=1}^{\infty} \frac{1}{n^2}$$")[0])
        ((_name, _title, image),) = formula_images(text_view)
        solid = {QColor(image.pixel(x, y)).name()
                 for y in range(image.height()) for x in range(image.width())
                 if QColor.fromRgba(image.pixel(x, y)).alpha() == 255}
        assert solid == {palette.text}, palette.name


def show_tooltip(qtbot, view: RichTextView, point: QPoint) -> str:
    """What the view shows as a tooltip when the pointer rests at ``point`` (plain text)."""
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    QApplication.sendEvent(view, QHelpEvent(QHelpEvent.Type.ToolTip, point,
                                            view.mapToGlobal(point)))
    if not QToolTip.isVisible():
        return ""
    document = QTextDocument()
    document.setHtml(QToolTip.text())
    return document.toPlainText()


def test_the_latex_is_the_tooltip_and_what_copy_and_screen_readers_get(qtbot, text_view):
    text_view.setText(typeset_html(qtbot, r"Euler: $e^{i\pi} + 1 = 0$, done."))
    qtbot.waitUntil(lambda: is_laid_out(text_view))
    box = formula_box(text_view)
    assert show_tooltip(qtbot, text_view, box.center().toPoint()) == r"e^{i\pi} + 1 = 0"
    assert show_tooltip(qtbot, text_view, QPoint(2, round(box.center().y()))) == ""
    text_view.setFocus()
    qtbot.keyClick(text_view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(text_view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == r"Euler: $e^{i\pi} + 1 = 0$, done."
    assert text_view.plain_text() == r"Euler: $e^{i\pi} + 1 = 0$, done."
    QAccessible.setActive(True)  # a screen reader listens: it is told the LaTeX
    try:
        text_view.setText(typeset_html(qtbot, r"Area: $\pi r^2$."))
        qtbot.waitUntil(lambda: text_view.accessibleDescription() == r"Area: $\pi r^2$.")
    finally:
        QAccessible.setActive(False)


@pytest.mark.asyncio
async def test_the_reply_copies_and_searches_as_latex(app_factory, fake_api, qtbot):
    window = await app_factory()
    source = f"So\n\n$$\n{PMATRIX}\n$$\n\nis invertible."
    piece = await maths_reply(window, qtbot, fake_api, source)
    assert len(formula_images(piece)) == 1
    reply_widget = window.messages.widget_for(window.controller.current.messages[-1].id)
    qtbot.mouseClick(reply_widget.actions.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == source
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.sidebar.search, "pmatrix")
    assert sidebar_titles(window) == ["maths please"]


@pytest.mark.asyncio
async def test_a_theme_change_draws_the_formulas_again_in_its_colour(app_factory, fake_api, qtbot):
    window = await app_factory()
    await maths_reply(window, qtbot, fake_api, "Light $x_1 + x_2$ first.")
    window.controller.settings.theme = "dark"
    window.apply_theme()
    reply = window.controller.current.messages[-1]
    piece = window.messages.widget_for(reply.id).body.findChild(RichTextView)
    await until(lambda: is_laid_out(piece), message="reply laid out again")
    ((name, _title, image),) = formula_images(piece)
    assert name.endswith(DARK_THEME.text.lstrip("#"))
    assert not image.isNull()


@pytest.mark.asyncio
async def test_formulas_of_a_long_streamed_reply_are_typeset_in_every_piece(
        app_factory, fake_api, qtbot):
    """Pieces frozen while the reply streamed showed their new formulas as text first; each
    is drawn again with the formulas once they are typeset."""
    window = await app_factory()
    fractions = [fresh_fraction() for _ in range(12)]
    text = "\n\n".join(f"Step {n}: the ratio ${fraction}$ follows from the one before it, "
                        "as the paragraph explains at some length here." * 2
                        for n, fraction in enumerate(fractions))
    fake_api.enqueue(Reply(text, chunks=80, delay=0.005))
    reply = (await chat_with(window, qtbot, "maths please")).messages[-1]
    body = window.messages.widget_for(reply.id).body
    await until(lambda: not formula_typesetter().busy, message="formulas typeset")
    assert body.chunk_count > 1  # the reply was built in pieces while it streamed
    pieces = sorted((p for p in body.findChildren(RichTextView) if p.isVisible()),
                    key=lambda piece: piece.y())
    titles = [title for piece in pieces for _name, title, _image in formula_images(piece)]
    assert titles == [f for f in fractions for _ in range(2)]
    assert PENDING_MARK not in body.text() and "font-family:Cambria" not in body.text()


@pytest.mark.asyncio
async def test_hostile_latex_in_a_reply_is_shown_as_text_without_stalling(
        app_factory, fake_api, qtbot):
    window = await app_factory()
    hostile = ["{" * 40 + "x" + "}" * 40, r"\frac{1}{" * 14 + "x" + "}" * 14,
               r"\def\a{\a\a}\a", "x" * 3000, r"\frac{a}{b}+" * 120,
               r"\begin{pmatrix}" + r"\\".join("&".join("x" * 15) for _ in range(15))
               + r"\end{pmatrix}", "</svg><script>x</script>"]
    text = "\n\n".join(f"Case {n}: ${latex}$ and on." for n, latex in enumerate(hostile * 5))
    fake_api.enqueue(Reply(text))
    reply = (await chat_with(window, qtbot, "break it")).messages[-1]
    body = window.messages.widget_for(reply.id).body
    cases = [f"Case {n}:" for n in range(len(hostile) * 5)]

    def shown() -> str:
        return "".join(piece.plain_text() for piece in body.findChildren(RichTextView))

    await until(lambda: all(case in shown() for case in cases) and not formula_typesetter().busy,
                timeout=60, message="every case shown, the typesetter idle")
    assert "<script" not in body.text()
    await chat_with(window, qtbot, "still there?")  # the window still answers


def test_a_display_formula_wider_than_the_text_is_scaled_to_fit(qtbot, text_view):
    wide = " + ".join(f"a_{{{n}}} b_{{{n}}}" for n in range(1, 25))
    text_view.setText(typeset_html(qtbot, f"$$\n{wide}\n$$"))
    text_view.window().resize(360, 200)
    qtbot.waitUntil(lambda: text_view.width() < 360 and is_laid_out(text_view))
    box = formula_box(text_view)
    assert box.width() <= text_view.width() + 0.5
    assert formula_images(text_view)[0][2].width() > 2 * text_view.width()  # drawn scaled


def test_starting_with_history_without_maths_does_not_import_the_typesetter(tmp_path):
    """The typesetter (ziamath, ~0.15 s to import) waits for a reply with maths: a start
    that shows a conversation with prices in it ("$5") does not load it."""
    from benchmarks.startup import imported_at_start
    from desktop_app.core.conversation import Conversation
    from desktop_app.storage.history_store import HistoryStore

    conversation = Conversation(title="prices")
    conversation.add_user_message("How much is it?")
    reply = conversation.start_reply("claude-opus-4-7")
    reply.content.append({"type": "text", "text": "It costs $5, or $10 for two."})
    HistoryStore(tmp_path / "conversations").save(conversation)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANTHROPIC_API_KEY": "sk-ant-test",
           "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}
    assert imported_at_start(tmp_path, env) == []


def test_maths_is_typeset_again_after_the_worker_process_is_killed(qtbot):
    """A typesetter whose process dies (killed, or crashed on hostile LaTeX) starts a new one:
    formulas in flight may stay text, the next ones are typeset."""
    import multiprocessing
    import signal

    from desktop_app.ui.messages.formula_typesetter import FormulaTypesetter

    typesetter = FormulaTypesetter()
    try:
        first = fresh_fraction()
        typesetter.lookup(first, False)
        qtbot.waitUntil(lambda: not typesetter.busy, timeout=20_000)
        assert typesetter.lookup(first, False) is FormulaState.READY
        workers = [p for p in multiprocessing.active_children() if p.is_alive()]
        assert workers, "the formulas were typeset in a process of their own"
        before = {p.pid for p in workers}
        for worker in workers:
            os.kill(worker.pid, signal.SIGKILL)
        qtbot.waitUntil(lambda: not any(p.is_alive() for p in workers), timeout=10_000)

        def typeset_again() -> bool:
            formula = fresh_fraction()
            typesetter.lookup(formula, False)
            qtbot.waitUntil(lambda: not typesetter.busy, timeout=20_000)
            return typesetter.lookup(formula, False) is FormulaState.READY
        assert typeset_again() or typeset_again(), "no new process typeset the next formula"
        assert {p.pid for p in multiprocessing.active_children()} - before
    finally:
        typesetter.shut_down()
