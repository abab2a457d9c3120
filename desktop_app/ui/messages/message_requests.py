"""What the reader asked of the messages of one view, whichever message widget it came from:
the operations layer connects to this one object once, instead of each level re-emitting.

Signals (on MessageRequests):
    retry_requested(str): ask again for that reply (Retry on a card, or Regenerate).
    continue_requested(str): the Continue action of a reply cut at max_tokens was used.
    edit_requested(str, str): (message id, text): send an edited copy of a user message.
    branch_requested(str, int): (message id, -1/+1): show another version of a message.
    example_chosen(str): an example prompt on the empty page was clicked.
    link_confirmation_requested(str, str): (link text, target): a link that may not go where
        it seems was clicked; it is opened only once the reader confirms.
    status_message(str): a short confirmation for the status line ("Reply copied").
    tool_approval_chosen(str, str): (tool use id, ``ApprovalChoice`` value) on an approval
        card.
    file_save_requested(str, str): (file id, suggested name): Save as… on a file that code
        execution made.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class MessageRequests(QObject):
    """See the module docstring. Message widgets emit these signals directly."""

    retry_requested = Signal(str)
    continue_requested = Signal(str)
    edit_requested = Signal(str, str)
    branch_requested = Signal(str, int)
    example_chosen = Signal(str)
    link_confirmation_requested = Signal(str, str)
    status_message = Signal(str)
    tool_approval_chosen = Signal(str, str)
    file_save_requested = Signal(str, str)
