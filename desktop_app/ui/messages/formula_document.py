"""The text document of a reply, which draws the typeset formulas its HTML names.

``core.markdown`` writes a typeset formula as ``<img src="cairn-math:KEY/COLOUR"
title="LaTeX">``. `FormulaDocument.set_html` turns each such image into a formula object
that the document draws itself (nothing is ever loaded from a file or the network): the
formula's SVG drawn with QtSvg at the size of the text, for the screen's pixel ratio, in the
colour the name gives (the theme's text colour). The LaTeX stays in the document as the
object's tooltip, and `FormulaDocument.plain_text` gives it back in place of each formula
(Copy, screen readers).

Why an object of its own rather than the image: an inline formula must sit on the text's
baseline and may reach below it (a fraction's denominator), but Qt puts an image either on
the baseline (nothing below it) or, aligned "middle", in the middle of the line, wherever that
is. A formula object is aligned "middle" only to make Qt reserve room: for an object of height
H, Qt keeps (H + x)/2 above the baseline and (H - x)/2 below (x: half the x-height), so H is
chosen to cover the formula's descent, and its ascent where that is more than the text's
own. It is then drawn where the line's baseline really is, whatever else shares the line, so
a line with a formula is no taller than the formula needs. A display formula wider than the text is scaled
down to fit.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QByteArray, QPointF, QRectF, QSizeF, QUrl
from PySide6.QtGui import (
    QColor,
    QFontInfo,
    QFontMetrics,
    QFontMetricsF,
    QImage,
    QPainter,
    QPyTextObject,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtSvg import QSvgRenderer

from desktop_app.core.math_typeset import (
    FORMULA_SCHEME,
    TypesetFormula,
    parse_formula_image_name,
)
from desktop_app.ui.messages.formula_typesetter import formula_typesetter

FORMULA_OBJECT = QTextFormat.ObjectTypes.UserObject.value + 1
# Maths in STIX Two looks a little smaller than the same size of the UI's sans-serif text.
FORMULA_SCALE = 1.1
_KEPT_IMAGES = 300  # drawn formulas kept across documents (a streaming reply re-sets its HTML)
_OBJECT = "\ufffc"  # what Qt's plain text has in place of an object


class Placed(NamedTuple):
    """A formula's size in a text, in pixels: its width, and its ink above and below the
    baseline."""

    width: float
    ascent: float
    descent: float


_images: OrderedDict[tuple[str, str, float, float], QImage] = OrderedDict()


class FormulaDocument(QTextDocument):
    """A QTextDocument that draws the formulas of ``core.markdown``'s HTML itself.

    Args:
        formulas: the typeset formula for a key (default: the application's typesetter).
    """

    def __init__(self, parent: object = None,
                 formulas: Callable[[str], TypesetFormula | None] | None = None) -> None:
        super().__init__(parent)
        self._formulas = formulas or formula_typesetter().formula
        self._drawer = _FormulaObjects(self)
        self.documentLayout().registerHandler(FORMULA_OBJECT, self._drawer)

    def set_html(self, html: str) -> None:
        """``setHtml``, with each formula image made a formula object. Nothing is laid out
        until both are done (Qt lays out a document with a page size as it changes)."""
        if FORMULA_SCHEME not in html:
            self.setHtml(html)
            return
        width = self.textWidth()
        self.setPageSize(QSizeF(0, 0))
        self.setHtml(html)
        self._adopt_formulas()
        self.setTextWidth(width)

    def loadResource(self, kind: int, name: QUrl) -> object:
        """Nothing is loaded: formulas are drawn by the document, and a reply has no other
        images. (Never return None here: PySide then releases a reference to None that it
        does not own.)"""
        return QImage() if kind == QTextDocument.ResourceType.ImageResource.value \
            else QByteArray()

    def plain_text(self, cursor: QTextCursor | None = None) -> str:
        """The text of the selection (or of everything), each formula as its LaTeX:
        ``$...$`` inline, ``$$...$$`` on a line of its own."""
        if cursor is None:
            cursor = QTextCursor(self)
            cursor.select(QTextCursor.SelectionType.Document)
        text = cursor.selection().toPlainText()
        if _OBJECT not in text:
            return text
        sources = iter(self._formula_sources(cursor.selectionStart(), cursor.selectionEnd()))
        return "".join(next(sources, char) if char == _OBJECT else char for char in text)

    def formula_source_at(self, point: QPointF) -> str:
        """The LaTeX of the formula drawn at ``point`` ("" where there is none)."""
        char_format = self.documentLayout().formatAt(point).toCharFormat()
        return char_format.toolTip() if char_format.objectType() == FORMULA_OBJECT else ""

    # -- drawing ------------------------------------------------------------------------------

    def placed(self, char_format: QTextCharFormat) -> tuple[TypesetFormula, Placed] | None:
        """A formula object's formula, and its size in this document's text."""
        parsed = parse_formula_image_name(char_format.toImageFormat().name())
        formula = self._formulas(parsed[0]) if parsed is not None else None
        if formula is None:
            return None
        em = self._em()
        return formula, Placed(formula.width * em, formula.ascent * em, formula.descent * em)

    def drawn_size(self, char_format: QTextCharFormat) -> Placed | None:
        """The size a formula object is drawn at: its own, or narrower to fit the text."""
        found = self.placed(char_format)
        return None if found is None else _fitted(self, found[1])

    def formula_image(self, char_format: QTextCharFormat, ratio: float) -> QImage:
        """A formula object drawn at its size, ``ratio`` device pixels per pixel."""
        name = char_format.toImageFormat().name()
        key = (name, self.defaultFont().key(), self._em(), ratio)
        image = _images.get(key)
        if image is None:
            found, parsed = self.placed(char_format), parse_formula_image_name(name)
            image = QImage() if found is None or parsed is None \
                else draw_formula(found[0], found[1], parsed[1], ratio)
            _images[key] = image
            while len(_images) > _KEPT_IMAGES:
                _images.popitem(last=False)
        else:
            _images.move_to_end(key)
        return image

    def _em(self) -> float:
        return QFontInfo(self.defaultFont()).pixelSize() * FORMULA_SCALE

    def _adopt_formulas(self) -> None:
        """Each formula image becomes a formula object (found by Qt's search for the object
        character, not by walking every fragment in Python)."""
        cursor = self.find(_OBJECT)
        while not cursor.isNull():
            char_format = cursor.charFormat()  # that of the character found
            if char_format.isImageFormat() and parse_formula_image_name(
                    char_format.toImageFormat().name()) is not None:
                char_format.setObjectType(FORMULA_OBJECT)
                cursor.setCharFormat(char_format)
            cursor = self.find(_OBJECT, cursor)

    def _formula_sources(self, start: int, end: int) -> list[str]:
        """The LaTeX of each object between two positions, with its delimiters, in order."""
        sources: list[str] = []
        block = self.findBlock(start)
        while block.isValid() and block.position() < end:
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                fragments += 1
                char_format = fragment.charFormat()
                if char_format.objectType() == QTextFormat.ObjectTypes.NoObject.value:
                    continue
                first = max(start, fragment.position())
                last = min(end, fragment.position() + fragment.length())
                source = _OBJECT
                if char_format.objectType() == FORMULA_OBJECT:
                    delimiter = "$" if _is_inline(char_format) else "$$"
                    source = f"{delimiter}{char_format.toolTip()}{delimiter}"
                sources.extend(source for _ in range(first, last))
            block = block.next()
        return sources


class _FormulaObjects(QPyTextObject):
    """Sizes and draws the formula objects of a `FormulaDocument` (Qt's text layout calls
    it, as it calls its image handler for images)."""

    def intrinsicSize(self, document: QTextDocument, position: int,
                      text_format: QTextFormat) -> QSizeF:
        assert isinstance(document, FormulaDocument)
        char_format = text_format.toCharFormat()
        drawn = document.drawn_size(char_format)
        if drawn is None:
            return QSizeF(0, 0)
        width, ascent, descent = drawn
        if not _is_inline(char_format):
            return QSizeF(width, ascent + descent)
        # Qt's own x-height for "middle" alignment: that of the object's format's font.
        half_x = QFontMetrics(char_format.font()).xHeight() / 2
        # The line reaches the text font's ascent anyway: room above is asked for only when
        # the formula is taller (asking for it costs as much room below).
        if ascent <= QFontMetricsF(document.defaultFont()).ascent():
            ascent = 0
        return QSizeF(width, max(2 * ascent - half_x, 2 * descent + half_x, 1.0))

    def drawObject(self, painter: QPainter, rect: QRectF, document: QTextDocument,
                   position: int, text_format: QTextFormat) -> None:
        assert isinstance(document, FormulaDocument)
        char_format = text_format.toCharFormat()
        found = document.placed(char_format)
        if found is None:
            return
        width, ascent, descent = _fitted(document, found[1])
        top = rect.top()
        if _is_inline(char_format):
            top = _baseline(document, position) - ascent
        ratio = painter.device().devicePixelRatioF()
        image = document.formula_image(char_format, ratio)
        if width < found[1].width:  # scaled down to fit
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(rect.left(), top, width, ascent + descent), image)
            painter.restore()
        else:  # on whole device pixels, so that it is not resampled (blurred)
            painter.drawImage(QPointF(round(rect.left() * ratio) / ratio,
                                      round(top * ratio) / ratio), image)


def _is_inline(char_format: QTextCharFormat) -> bool:
    return char_format.verticalAlignment() == QTextCharFormat.VerticalAlignment.AlignMiddle


def _fitted(document: QTextDocument, placed: Placed) -> Placed:
    """The formula's size, scaled down if it is wider than the text."""
    available = document.textWidth()
    if available <= 0 or placed.width <= available:
        return placed
    scale = available / placed.width
    return Placed(available, placed.ascent * scale, placed.descent * scale)


def _baseline(document: QTextDocument, position: int) -> float:
    """Where the baseline of the line holding ``position`` is, in document coordinates."""
    block = document.findBlock(position)
    layout = block.layout()
    line = layout.lineForTextPosition(position - block.position())
    top = document.documentLayout().blockBoundingRect(block).top()
    return top + line.y() + line.ascent()


def draw_formula(formula: TypesetFormula, placed: Placed, colour: str, ratio: float) -> QImage:
    """The formula drawn ``placed.width`` pixels wide in ``colour``, ``ratio`` device pixels
    per pixel, its baseline ``placed.ascent`` from the top."""
    height = placed.ascent + placed.descent
    image = QImage(max(1, math.ceil(placed.width * ratio)), max(1, math.ceil(height * ratio)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(formula.svg.encode("utf-8"))).render(
        painter, QRectF(0, 0, placed.width, height))
    # The ink in the theme's colour, whatever colours the LaTeX asked for.
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(QRectF(0, 0, placed.width, height), QColor(colour))
    painter.end()
    return image
