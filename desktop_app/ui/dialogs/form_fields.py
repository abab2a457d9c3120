"""Forms that keep still: every tab's fields start at the same place, and number fields are as
wide as their numbers rather than the whole dialog.

Each ``QFormLayout`` sizes its label column to its own longest label, so switching between
Settings' tabs made every field jump sideways; and the Fusion style lets every field grow to
the full width, a 480 px box for a number of up to two digits.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractSpinBox, QFormLayout, QSizePolicy, QWidget

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
