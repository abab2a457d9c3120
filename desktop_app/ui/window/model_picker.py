"""The header's model picker: a combo box whose closed face shows the model's display name,
with its price when the header has room, and only the name (elided as a last resort) when it
has not. The list that opens keeps every model's name and price in full.

The header decides between the two faces (``compact``), so that the picker gives up its price
before anything else in the header is squeezed; the box itself never draws past its edge.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

# Below this much text the name is elided rather than the picker shrinking further.
MIN_TEXT_WIDTH = 72


class ModelPicker(QComboBox):
    """See the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Qt's own size hint then measures only the frame and arrow (no item text): the face's
        # width is ours to decide, whatever the longest entry in the list is.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(0)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._name = ""
        self._price = ""
        self._compact = False

    # -- what the closed face says --------------------------------------------------------

    def set_face(self, name: str, price: str = "") -> None:
        """The name of the chosen model and its price in short ("$5 / $25"), or ""."""
        self._name, self._price = name, price
        self.updateGeometry()
        self.update()

    def face_text(self, compact: bool | None = None) -> str:
        """What the face says in full: the name, and the price unless ``compact``."""
        compact = self._compact if compact is None else compact
        if compact or not self._price:
            return self._name
        return f"{self._name}  ·  {self._price}"

    def shown_text(self) -> str:
        """What the face shows now (elided to its width)."""
        return self.fontMetrics().elidedText(
            self.face_text(), Qt.TextElideMode.ElideRight, max(0, self._text_rect_width()))

    @property
    def compact(self) -> bool:
        return self._compact

    def set_compact(self, compact: bool) -> None:
        """Name only (True) or name and price (False)."""
        if compact != self._compact:
            self._compact = compact
            self.updateGeometry()
            self.update()

    def width_for(self, compact: bool) -> int:
        """The width the face needs to show ``face_text(compact)`` whole."""
        text = self.fontMetrics().horizontalAdvance(self.face_text(compact))
        return self._frame_width() + text + 2  # a pixel or two of rounding, never an ellipsis

    # -- size and painting ----------------------------------------------------------------

    def _frame_width(self) -> int:
        """Everything but the text: padding, border, the arrow (what the style leaves of a
        box for its text, measured on a wide one)."""
        wide = 1000
        return wide - self._text_rect_width(wide)

    def _text_rect_width(self, width: int | None = None) -> int:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        if width is not None:
            option.rect = QRect(0, 0, width, self.height())
        return self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option,
            QStyle.SubControl.SC_ComboBoxEditField, self).width()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(max(self.width_for(self._compact), super().sizeHint().width()),
                     super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        name = self.fontMetrics().horizontalAdvance(self._name)
        return QSize(max(self._frame_width() + min(name, MIN_TEXT_WIDTH),
                         super().sizeHint().width()), super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
