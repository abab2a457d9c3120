"""Icons from the SVG set in ``resources/icons``, tinted to the theme and crisp at any DPI."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer


@lru_cache(maxsize=256)
def _svg_source(name: str) -> str:
    return resources.files("desktop_app.resources").joinpath(f"icons/{name}.svg").read_text("utf-8")


@lru_cache(maxsize=512)
def icon(name: str, color: str, size: int = 18) -> QIcon:
    """An icon drawn from ``icons/<name>.svg`` in ``color``, at 1x, 2x and 3x (drawn once per
    name, colour and size: every message's actions use the same few)."""
    data = QByteArray(_svg_source(name).replace("currentColor", color).encode("utf-8"))
    renderer = QSvgRenderer(data)
    result = QIcon()
    for scale in (1, 2, 3):
        pixmap = QPixmap(QSize(size * scale, size * scale))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size * scale, size * scale))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        result.addPixmap(pixmap)
    return result


def app_icon() -> QIcon:
    """The Cairn icon, for the window and the task bar."""
    data = QByteArray(
        resources.files("desktop_app.resources").joinpath("cairn.svg").read_bytes()
    )
    renderer = QSvgRenderer(data)
    result = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result


def tinted_svg_file(name: str, color: str, directory: Path) -> Path:
    """A copy of ``icons/<name>.svg`` in ``color`` on disk, for style sheets (which need a
    file name). Written once per colour."""
    target = directory / f"{name}-{color.lstrip('#')}.svg"
    if not target.exists():
        directory.mkdir(parents=True, exist_ok=True)
        target.write_text(_svg_source(name).replace("currentColor", color), encoding="utf-8")
    return target
