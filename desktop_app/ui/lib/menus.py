"""Cairn's pop-up menus: opened beside their button inside the window (above it when there
is no room below), and showing the shortcut of each item that has one.

Qt opens a menu under the point it is given and moves it only to stay on the screen, so a
menu opened from the bottom of the window (the attach button, the sidebar's ⋯) hung below
the window's edge. ``popup_beside`` chooses the side with room in the window.

A shortcut is shown the way menus show them, right-aligned after the item's text, and read
from the one shortcut table (``lib/shortcuts.py``). It is shown only: the window (or the
list) owns the real shortcut, and a second one on the menu's action would make the key
ambiguous while the menu exists.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from desktop_app.ui.lib.shortcuts import SHORTCUTS


def shortcut_keys(action: str) -> str:
    """The keys the shortcut table gives a window action ("Ctrl+O" for "attach_files").

    Raises:
        KeyError: the table has no such action.
    """
    for row in SHORTCUTS:
        if row.action == action:
            return row.keys
    raise KeyError(action)


def add_item(
    menu: QMenu, text: str, slot: Callable[[], object], keys: str | None = None
) -> QAction:
    """Add an item that runs ``slot``; with ``keys`` (as the shortcut table writes them),
    the shortcut shows at the item's right, in the platform's words.

    Raises:
        ValueError: ``keys`` is not a shortcut of the table (a menu must not promise a key
            that does nothing).
    """
    if keys is not None:
        if keys not in {row.keys for row in SHORTCUTS}:
            raise ValueError(f"{keys!r} is not in the shortcut table")
        native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        text = f"{text}\t{native}"
    return menu.addAction(text, slot)


def shown_shortcut(action: QAction) -> str:
    """The shortcut text an item shows ("" for none)."""
    _text, _tab, keys = action.text().partition("\t")
    return keys


def popup_beside(menu: QMenu, anchor: QRect, owner: QWidget) -> None:
    """Open ``menu`` under ``anchor`` (a rectangle in global coordinates: a button, a row, a
    clicked point), or above it when the window has no room below; within the window and
    the screen either way."""
    menu.popup(menu_position(menu.sizeHint(), anchor, visible_bounds(owner)))


def popup_under_button(menu: QMenu, button: QWidget) -> None:
    """``popup_beside`` for a button that opens a menu."""
    popup_beside(menu, QRect(button.mapToGlobal(QPoint(0, 0)), button.size()), button)


def visible_bounds(owner: QWidget) -> QRect:
    """Where a menu of ``owner`` should stay: its window, as far as that is on the screen
    (the screen alone when the window is off it)."""
    screen = owner.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    window = owner.window()
    frame = QRect(window.mapToGlobal(QPoint(0, 0)), window.size())
    inside = frame.intersected(available)
    return inside if not inside.isEmpty() else available


def menu_position(size: QSize, anchor: QRect, bounds: QRect) -> QPoint:
    """The top-left corner for a menu of ``size``: under ``anchor`` when it fits there in
    ``bounds``, else above it when it fits there, else wherever it overlaps least (kept in
    ``bounds``); left-aligned with ``anchor`` and moved in from the sides of ``bounds``."""
    x = max(bounds.left(), min(anchor.left(), bounds.right() + 1 - size.width()))
    below = anchor.bottom() + 1
    above = anchor.top() - size.height()
    if below + size.height() <= bounds.bottom() + 1:
        y = below
    elif above >= bounds.top():
        y = above
    else:  # taller than the room on either side: as low as fits, but not above the bounds
        y = max(bounds.top(), min(below, bounds.bottom() + 1 - size.height()))
    return QPoint(x, y)
