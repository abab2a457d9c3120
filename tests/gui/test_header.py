"""The header as a user sees it: nothing cut off in an 800×600 window, the picker naming the
model first (price with its unit when there is room), a chip that looks like a button, the
system prompt's own icon in a place that does not move, and no guessed model on first start."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage

from desktop_app.ui.lib.icons import icon
from tests.conftest import until
from tests.helpers.gui_helpers import finished_reply, type_and_send

pytestmark = pytest.mark.asyncio


def header_children(window) -> dict[str, object]:
    header = window.header
    return {"sidebar button": header.sidebar_button, "title": header.title,
            "system prompt": header.system_button, "cost": header.cost,
            "options chip": header.options_chip, "model picker": header.model_picker}


def cut_off(window) -> list[str]:
    """Header children that are not wholly inside the header, or that draw a text wider
    than themselves."""
    header = window.header
    inside = QRect(QPoint(0, 0), header.size())
    problems = []
    for name, widget in header_children(window).items():
        if widget.isVisible() and not inside.contains(widget.geometry()):
            problems.append(f"{name} at {widget.geometry()} outside {inside}")
    cost = header.cost
    if cost.fontMetrics().horizontalAdvance(cost.text()) > cost.width():
        problems.append(f"cost {cost.text()!r} wider than {cost.width()}")
    picker, chip = header.model_picker, header.options_chip
    metrics = picker.fontMetrics()
    if metrics.horizontalAdvance(picker.shown_text()) > picker.width():
        problems.append(f"picker text {picker.shown_text()!r} wider than {picker.width()}")
    if chip.isVisible() and chip.fontMetrics().horizontalAdvance(chip.text()) > chip.width():
        problems.append(f"chip text {chip.text()!r} wider than {chip.width()}")
    return problems


async def resize(window, width: int, height: int) -> None:
    window.window().resize(width, height)
    await until(lambda: window.window().width() == width, message=f"window {width} wide")
    await until(lambda: window.header.width() < width, message="header laid out")


async def test_at_800_by_600_nothing_in_the_header_is_cut_off(app_factory, qtbot):
    window = await app_factory()
    model = window.controller.model_for(window.controller.current)
    picker, chip = window.header.model_picker, window.header.options_chip
    assert window.sidebar.isVisible()
    # Wide: the picker's face has the name and the price with its unit.
    await resize(window, 1440, 900)
    await until(lambda: not picker.compact, message="price shown when wide")
    assert picker.shown_text().startswith(model.display_name)
    assert "per MTok" in picker.shown_text()
    assert not cut_off(window)
    # 800×600 with the sidebar shown: everything inside, the name before anything else.
    await resize(window, 800, 600)
    assert window.window().width() == 800  # the header does not force a wider window
    await until(lambda: picker.compact, message="price dropped when narrow")
    await until(lambda: picker.shown_text() == model.display_name,
                message=f"the model's whole name, not {picker.shown_text()!r}")
    assert cut_off(window) == []
    assert picker.currentData() == model.id
    # A long title gives way, by eliding, and so does nothing else: the cost is whole, the
    # picker still names the model.
    window.header.set_title("A very long conversation title about many things " * 3)
    window.header.set_cost("$0.0060")
    await until(lambda: window.header.title.width() < window.header.title.full_width())
    await until(lambda: cut_off(window) == [], message=f"nothing cut off: {cut_off(window)}")
    assert window.header.title.text().startswith("A very long")
    assert picker.shown_text() == model.display_name
    assert chip.text() == chip.wording(), chip.text()  # a wording, not an elided one


async def test_a_wide_header_shows_the_options_chip_whole(app_factory):
    """Issue 18: at 1440×900 the chip said "Thinking · Effort: high · Cache: 5 …" beside an
    empty gap (after a narrow window had shortened it, widening left it a pixel short)."""
    window = await app_factory()
    chip, header = window.header.options_chip, window.header
    window.header.set_cost("$0.0070")
    for width, height in ((1440, 900), (800, 600), (1440, 900), (800, 600), (1100, 800)):
        await resize(window, width, height)
        if width == 800:
            await until(lambda: chip.level > 0, message="a shorter wording when narrow")
            continue
        await until(lambda: chip.level == 0 and chip.text() == chip.wording(0),
                    message=f"the whole chip at {width}: {chip.text()!r}")
        assert "Cache" in chip.text()
        metrics = chip.fontMetrics()
        assert metrics.horizontalAdvance(chip.text()) <= chip.width()
        assert not cut_off(window)
        # The room came from the gap beside the title, not from the title itself.
        assert header.title.width() >= header.title.full_width() - 2


async def test_the_model_list_says_what_prices_are_in(app_factory):
    window = await app_factory()
    picker = window.header.model_picker
    priced = [picker.itemText(i) for i in range(picker.count())
              if "$" in picker.itemText(i)]
    assert priced, "no model has a price"
    for text in priced:
        assert " in / $" in text and text.endswith(("out per MTok", "(deprecated)")), text


async def test_system_prompt_button_has_its_own_icon_and_stays_put(app_factory, qtbot):
    window = await app_factory()
    header, theme = window.header, window.theme
    shown = header.system_button.icon().pixmap(16, 16).toImage()
    pencil = icon("pencil", theme.muted, 16).pixmap(16, 16).toImage()
    assert shown != pencil  # "edit message" is the pencil; this is something else
    type_and_send(window, qtbot, "hello")
    await finished_reply(window)
    await until(lambda: header.cost.text().startswith("$"), message="cost shown")
    costs = [header.cost.text(), "", "$0.0004", "$12.345", header.cost.text()]
    for width in (1440, 800):
        await resize(window, width, 700)
        places = []
        for cost in costs:  # as it is before the first reply, and as it grows
            header.set_cost(cost)
            await until(lambda: not header.layout().geometry().isNull())
            window.header.layout().activate()
            places.append(header.system_button.mapTo(window, QPoint(0, 0)))
        assert len(set(places)) == 1, (width, places)
        assert cut_off(window) == []


def colour_distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


@pytest.mark.parametrize("theme_name", ["light", "dark"])
async def test_options_chip_is_drawn_with_a_border(app_factory, theme_name):
    window = await app_factory()
    window.controller.settings.theme = theme_name
    window.apply_theme()
    chip = window.header.options_chip
    image: QImage = chip.grab().toImage()
    middle = image.height() // 2
    edge = image.pixelColor(0, middle)  # the left border, halfway down
    inside = image.pixelColor(image.width() // 2, 2)  # the chip's fill, above the text
    assert colour_distance(edge, QColor(window.theme.border)) < 40, edge.name()
    assert colour_distance(edge, inside) > 10, (edge.name(), inside.name())


async def test_first_start_shows_no_guessed_model(app_factory, fake_api):
    fake_api.models_gate = gate = threading.Event()
    window = await app_factory(start=False)
    picker = window.header.model_picker
    faces = []
    picker.repaint()
    await window.controller.start()
    try:
        faces.append(picker.shown_text())
        assert picker.shown_text() == "Loading models…"
        assert not picker.isEnabled()
        assert not window.header.options_chip.isVisible()
    finally:
        gate.set()
    await until(lambda: window.controller.catalog.from_api, message="model list loaded")
    model = window.controller.model_for(window.controller.current)
    await until(lambda: picker.shown_text().startswith(model.display_name), message="real model")
    assert picker.isEnabled() and window.header.options_chip.isVisible()
    assert "5.5" not in " ".join(faces)  # the built-in guesses were never shown


async def test_an_offline_first_start_shows_the_builtin_models(app_factory, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    window = await app_factory(start=False)
    await window.controller.start()
    picker = window.header.model_picker
    await until(lambda: picker.isEnabled(), message="the list gave up waiting")
    model = window.controller.model_for(window.controller.current)
    assert model.builtin and picker.shown_text().startswith(model.display_name)
