"""Render the Cairn app icon (resources/cairn.svg) into the files the installers need.

    .venv/bin/python scripts/make_icons.py          # (re)write the files below
    .venv/bin/python scripts/make_icons.py --check  # exit 1 if any is missing or stale

Writes, next to the SVG:
  resources/icons/app/cairn-<N>.png  N = 16 24 32 48 64 128 256 512  (Linux hicolor theme)
  resources/cairn.ico                16-256 px                       (Windows, Inno Setup)
  resources/cairn.icns               16-1024 px                      (macOS bundle)

The SVG is rendered by Qt's SVG renderer offscreen (no display needed); Pillow writes the ICO
and ICNS containers from those renderings. Run it again whenever cairn.svg changes and commit
the results (the build does not regenerate them).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "cairn.svg"
PNG_DIR = ROOT / "resources" / "icons" / "app"
ICO = ROOT / "resources" / "cairn.ico"
ICNS = ROOT / "resources" / "cairn.icns"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def png_path(size: int) -> Path:
    return PNG_DIR / f"cairn-{size}.png"


def render(svg: bytes, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """PNG bytes of the SVG at each size (square, transparent background, antialiased)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(["make_icons"])  # noqa: F841 (kept alive)
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: Qt cannot parse this SVG")
    out: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG")
        out[size] = bytes(buffer.data())
    return out


def build() -> dict[Path, bytes]:
    """Every output file and its content."""
    from PIL import Image

    pngs = render(SVG.read_bytes(), tuple(sorted(set(PNG_SIZES + ICO_SIZES + ICNS_SIZES))))
    images = {size: Image.open(io.BytesIO(data)).convert("RGBA") for size, data in pngs.items()}
    files: dict[Path, bytes] = {}
    for size in PNG_SIZES:
        # Re-encode through Pillow with fixed options so the bytes are reproducible.
        files[png_path(size)] = _encode(images[size], "PNG", optimize=True)
    biggest = max(ICO_SIZES)
    files[ICO] = _encode(
        images[biggest], "ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != biggest],
    )
    biggest = max(ICNS_SIZES)
    files[ICNS] = _encode(
        images[biggest], "ICNS", append_images=[images[s] for s in ICNS_SIZES if s != biggest]
    )
    return files


def _encode(image: object, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)  # type: ignore[attr-defined]
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only check that the files exist and match the SVG")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        stale = [p for p, data in files.items() if not p.exists() or p.read_bytes() != data]
        for path in stale:
            print(f"stale or missing: {path.relative_to(ROOT)}", file=sys.stderr)
        if stale:
            print("run: python scripts/make_icons.py", file=sys.stderr)
        return 1 if stale else 0
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}  {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
