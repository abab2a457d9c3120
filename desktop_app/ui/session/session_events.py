"""The signals a session sends the window, declared once: ChatController is these signals, and
each part of the session emits the one that says what it did."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SessionEvents(QObject):
    """What happened in the conversations of one window (the window connects to these).

    Signals:
        conversations_changed: the list of conversations (titles, order, membership) changed.
        current_changed(object): another conversation (or None) is now shown.
        message_added(str, object): (conversation id, Message) was appended.
        message_changed(str, str): (conversation id, message id) has new content or state.
        message_removed(str, str): (conversation id, message id) was taken out.
        path_changed(str): the shown path of that conversation changed (an edit, a
            regenerated reply, another branch chosen): show its messages afresh.
        busy_changed(str, bool): a reply started (True) or ended (False) in that conversation.
        status_changed(str): new text for the status line.
        key_required(str): an API key must be entered; the text says why.
        notice(str): a one-off message for the user (a failed save, a file set aside).
        catalog_changed: the list of models changed.
        deleted(str, str): (id, title) was deleted; it can be undone for a few seconds.
        key_changed: the API key (or where it comes from) changed.
    """

    conversations_changed = Signal()
    current_changed = Signal(object)
    message_added = Signal(str, object)
    message_changed = Signal(str, str)
    message_removed = Signal(str, str)
    path_changed = Signal(str)
    busy_changed = Signal(str, bool)
    status_changed = Signal(str)
    key_required = Signal(str)
    notice = Signal(str)
    catalog_changed = Signal()
    deleted = Signal(str, str)
    key_changed = Signal()
