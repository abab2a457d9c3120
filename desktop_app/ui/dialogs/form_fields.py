"""Forms that keep still and show all their words: every tab's fields start at the same place,
number fields are as wide as their numbers rather than the whole dialog, and a check box that
needs explaining has a short label and its explanation wrapped under it.

Each ``QFormLayout`` sizes its label column to its own longest label, so switching between
Settings' tabs made every field jump sideways; and the Fusion style lets every field grow to
the full width, a 480 px box for a number of up to two digits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

NUMBER_FIELD_WIDTH = 150  # logical px: "128,000 tokens" with its arrows, in either language
NUMBER_TEXT_INDENT = 9  # logical px: the style sheet's border and padding of a line edit


def align_label_columns(*forms: QFormLayout) -> int:
    """Give every form's label column the width of the widest label of them all; returns it.

    Call once every row is added (labels added later are not widened)."""
    labels: list[QWidget] = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if label is not None:
                labels.append(label)
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)
    return width


def compact_number_field(field: QAbstractSpinBox) -> None:
    """A number field as wide as its longest value (at least ``NUMBER_FIELD_WIDTH``), never
    stretched to the width of the form."""
    field.setMinimumWidth(NUMBER_FIELD_WIDTH)
    field.setSizePolicy(QSizePolicy.Policy.Fixed, field.sizePolicy().verticalPolicy())
    # A styled spin box lays its text field over its own border and padding (the style
    # sheet's padding is not applied to it): this margin starts the number where a line
    # edit's text starts.
    field.lineEdit().setTextMargins(NUMBER_TEXT_INDENT, 0, 0, 0)


def check_with_hint(check: QCheckBox, hint: str) -> QWidget:
    """``check`` (a short label) over ``hint``, a quiet line that wraps; returns the pair as
    one field for a form row (hide or show the row through it).

    A ``QCheckBox`` never wraps its text: a long label was cut at the dialog's right edge, in
    the middle of a word. The hint starts where the check box's text starts, so the two read
    as one item, and it is the box's accessible description too.
    """
    field = QWidget()
    layout = QVBoxLayout(field)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    note = QLabel(hint)
    note.setObjectName("HintLabel")
    note.setWordWrap(True)
    note.setContentsMargins(_check_text_indent(check), 0, 0, 0)
    check.setAccessibleDescription(hint)
    layout.addWidget(check)
    layout.addWidget(note)
    return field


def _check_text_indent(check: QCheckBox) -> int:
    """Where ``check``'s text starts: its indicator and the gap after it, as styled."""
    check.ensurePolished()
    option = QStyleOptionButton()
    check.initStyleOption(option)
    contents = check.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, check)
    return max(0, contents.left())


def stacked(*parts: QWidget | QLayout) -> QWidget:
    """Parts (widgets or layouts) one above the other, as one field of a form."""
    field = QWidget()
    layout = QVBoxLayout(field)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    for part in parts:
        if isinstance(part, QWidget):
            layout.addWidget(part)
        else:
            layout.addLayout(part)
    return field


def problem_label() -> QLabel:
    """The line under a form's field that says what keeps it from being saved (hidden while
    there is nothing to say); set it with ``show_problem``."""
    label = QLabel()
    label.setObjectName("FormProblem")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def show_problem(label: QLabel, text: str) -> None:
    """Say ``text`` under the field; nothing to say hides the line."""
    label.setText(text)
    label.setVisible(bool(text))
