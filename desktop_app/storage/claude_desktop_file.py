"""Claude Desktop's ``claude_desktop_config.json``: found at its usual place, read with a size
cap, parsed by ``core.mcp_servers``. Blocks (it reads a file): call it off the UI thread."""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from pathlib import Path

from desktop_app.core.mcp_servers import (
    ConfigProblem,
    ConfigProblemKind,
    McpServerConfig,
    claude_desktop_config_paths,
    parse_claude_desktop_config,
)

MAX_CONFIG_BYTES = 1024 * 1024  # real ones are a few kB; anything larger is not one


def find_claude_desktop_config(
    system: str | None = None, environ: Mapping[str, str] | None = None, home: Path | None = None
) -> Path | None:
    """The first of Claude Desktop's config files that exists on this machine, or None."""
    candidates = claude_desktop_config_paths(
        system or platform.system(), os.environ if environ is None else environ,
        home or Path.home(),
    )
    for candidate in candidates:
        path = Path(str(candidate))
        if path.is_file():
            return path
    return None


def read_claude_desktop_config(path: Path) -> tuple[list[McpServerConfig], list[ConfigProblem]]:
    """The servers in the file and what could not be imported (the file's own problems
    included: unreadable, too large, not text). A UTF-8 byte order mark (Windows Notepad
    writes one) is accepted."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        return [], [ConfigProblem(ConfigProblemKind.FILE_UNREADABLE, {
            "path": str(path), "reason": exc.strerror or type(exc).__name__})]
    if len(data) > MAX_CONFIG_BYTES:
        return [], [ConfigProblem(ConfigProblemKind.FILE_TOO_LARGE,
                                  {"path": str(path), "limit": "1 MB"})]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [ConfigProblem(ConfigProblemKind.NOT_TEXT, {"path": str(path)})]
    return parse_claude_desktop_config(text)
