"""How readable rendered text is: the WCAG contrast between a region's background (its most
common colour) and its ink (the colour in it that stands out most from that background), read
from the pixels a widget really draws, style sheet and palette together."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

BODY_TEXT = 4.5  # WCAG 2 AA for body text


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def colours(image: QImage, rect: QRect) -> Counter[tuple[int, int, int]]:
    """How many pixels of each colour ``rect`` of ``image`` has."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rect = rect.intersected(image.rect())
    data = bytes(image.constBits())
    stride = image.bytesPerLine()
    counts: Counter[tuple[int, int, int]] = Counter()
    for y in range(rect.top(), rect.bottom() + 1):
        row = data[y * stride + rect.left() * 4:y * stride + (rect.right() + 1) * 4]
        for i in range(0, len(row), 4):
            counts[(row[i + 2], row[i + 1], row[i])] += 1  # stored as B, G, R, A
    return counts


def ink_contrast(image: QImage, rect: QRect) -> float:
    """The contrast of the text in ``rect`` against the background around it."""
    counts = colours(image, rect)
    assert counts, f"nothing drawn in {rect}"
    background = counts.most_common(1)[0][0]
    return max(contrast(colour, background) for colour in counts)


def text_rect(widget: QWidget, top: QWidget, inner: QRect | None = None) -> QRect:
    """Where ``widget`` (or ``inner``, in its coordinates) is in ``top``'s grab."""
    rect = inner if inner is not None else widget.rect()
    return QRect(widget.mapTo(top, rect.topLeft()), rect.size())


def readable(image: QImage, widget: QWidget, top: QWidget, inner: QRect | None = None) -> float:
    """``ink_contrast`` of a widget's text as ``top`` shows it."""
    return ink_contrast(image, text_rect(widget, top, inner))

