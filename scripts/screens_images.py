"""Screenshots as small PNG files, and whether a picture shows anything at all.

The pictures are committed (docs/screens/), so each is reduced to at most 256 colours without
dithering (text stays crisp; about a third of the plain PNG's size) and optimised; a
picture wider than ``max_width`` is scaled down first.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from PIL import Image, ImageStat
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPixmap

BLANK_STDDEV = 3.0  # a picture whose pixels vary less than this (0-255) shows nothing


def to_pillow(pixmap: QPixmap) -> Image.Image:
    """A Qt pixmap as an RGB Pillow image (through an in-memory PNG: no Qt pixel formats to
    get wrong)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not pixmap.save(buffer, "PNG"):
        raise ValueError("Qt could not encode the screenshot")
    buffer.close()
    with Image.open(BytesIO(bytes(data.data()))) as image:
        return image.convert("RGB")


def save_small_png(image: Image.Image, path: Path, max_width: int = 1440) -> None:
    """Write ``image`` to ``path`` as a palette PNG of at most 256 colours."""
    if image.width > max_width:
        height = round(image.height * max_width / image.width)
        image = image.resize((max_width, height), Image.Resampling.LANCZOS)
    small = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    small.save(path, "PNG", optimize=True)


def pixel_spread(image: Image.Image) -> float:
    """The largest standard deviation of one colour channel over the whole picture: near 0
    for an empty (single-colour) picture."""
    return max(ImageStat.Stat(image.convert("RGB")).stddev)


def is_blank(image: Image.Image) -> bool:
    """Whether a screenshot shows nothing but one colour (a window that never painted)."""
    return pixel_spread(image) < BLANK_STDDEV
