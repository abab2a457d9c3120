"""The theme for the whole application, not only the main window: a ``QPalette`` in the
theme's colours, and the style sheet on top.

Why both: the style sheet colours what its rules name, and its ``QWidget { color }`` rule gives
every widget the theme's text colour. Whatever it does not name (a settings tab, a spin box,
a table cell, a check box, a message box) Qt draws from the palette; left as the platform's,
that is light text on a light field in the dark theme. With the palette in the theme's colours
too, every widget is drawn in the theme, including ones no rule has thought of yet.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from desktop_app.ui.lib.icons import tinted_svg_file
from desktop_app.ui.lib.control_styles import (
    ControlImages,
    controls_style_sheet,
    disabled_text,
    mix,
)
from desktop_app.ui.lib.theme import Theme, style_sheet

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup


def palette_for(theme: Theme) -> QPalette:
    """Every colour role Qt draws with, in ``theme``'s colours (Fusion's bevels included, so
    frames and the sunken parts of controls match the flat borders of the style sheet)."""
    palette = QPalette()
    roles = {
        _Role.Window: theme.window,
        _Role.WindowText: theme.text,
        _Role.Base: theme.surface,
        _Role.AlternateBase: theme.hover,
        _Role.ToolTipBase: theme.surface,
        _Role.ToolTipText: theme.text,
        _Role.PlaceholderText: theme.muted,
        _Role.Text: theme.text,
        _Role.Button: theme.surface,
        _Role.ButtonText: theme.text,
        _Role.BrightText: theme.accent_text,
        _Role.Light: mix(theme.surface, "#ffffff", 0.1),
        _Role.Midlight: theme.hover,
        _Role.Mid: theme.border,
        _Role.Dark: mix(theme.border, theme.text, 0.35),
        _Role.Shadow: mix(theme.border, "#000000", 0.6),
        _Role.Highlight: theme.accent,
        _Role.HighlightedText: theme.accent_text,
        _Role.Link: theme.markdown.link,  # the accent, darkened enough to read as text
        _Role.LinkVisited: theme.markdown.link,
        _Role.Accent: theme.accent,
    }
    for role, colour in roles.items():
        palette.setColor(_Group.All, role, QColor(colour))
    disabled = {
        _Role.WindowText: disabled_text(theme),
        _Role.Text: disabled_text(theme),
        _Role.ButtonText: disabled_text(theme),
        _Role.PlaceholderText: disabled_text(theme),
        _Role.Base: theme.window,
        _Role.Button: theme.window,
        _Role.Highlight: theme.border,
        _Role.HighlightedText: disabled_text(theme),
    }
    for role, colour in disabled.items():
        palette.setColor(_Group.Disabled, role, QColor(colour))
    return palette


def apply_application_theme(app: QApplication, theme: Theme, icon_dir: Path) -> None:
    """Put ``theme`` on every window Cairn has or will open: the palette, then the style
    sheet. Called again whenever the theme or the system's colour scheme changes.

    Args:
        app: the application.
        theme: the theme to show.
        icon_dir: where the images the style sheet names (arrows, a tick) are written.
    """
    if app.style().name().lower() != "fusion":
        # Fusion draws every control from the palette, on every platform; the Windows and
        # macOS styles draw some from the system's colours (light controls in a dark Cairn).
        app.setStyle("Fusion")
    palette = palette_for(theme)
    app.setPalette(palette)
    QToolTip.setPalette(palette)  # tooltips keep a palette of their own
    down = tinted_svg_file("chevron-down", theme.muted, icon_dir)
    images = ControlImages(
        chevron_down=down.as_posix(),
        chevron_up=_pointing_up(down).as_posix(),
        check=_check_mark(theme.accent_text, icon_dir).as_posix(),
    )
    app.setStyleSheet(style_sheet(theme, images.chevron_down) + controls_style_sheet(theme, images))


def _pointing_up(chevron_down: Path) -> Path:
    """The same chevron turned upside down (a spin box's up arrow), written beside it (the
    icon set's 24-unit view box turned about its centre)."""
    target = chevron_down.with_name(chevron_down.name.replace("chevron-down", "chevron-up"))
    if not target.exists():
        source = chevron_down.read_text(encoding="utf-8")
        start = source.index(">") + 1  # after the opening <svg ...> tag
        end = source.rindex("</svg>")
        target.write_text(
            source[:start] + '<g transform="rotate(180 12 12)">' + source[start:end] + "</g>"
            + source[end:],
            encoding="utf-8",
        )
    return target


def _check_mark(colour: str, directory: Path) -> Path:
    """A tick in ``colour`` (the icon set has none), drawn in its style: round 24-unit strokes."""
    target = directory / f"check-{colour.lstrip('#')}.svg"
    if not target.exists():
        directory.mkdir(parents=True, exist_ok=True)
        target.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
            f'stroke="{colour}" stroke-width="3" stroke-linecap="round" '
            'stroke-linejoin="round"><path d="M5 12.5l4.5 4.5L19 7.5"/></svg>',
            encoding="utf-8",
        )
    return target
