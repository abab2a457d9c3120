"""What a local MCP server process gets from Cairn's environment, and where its command is
looked for.

Not the whole environment: Cairn's own (``ANTHROPIC_API_KEY``, a frozen app's
``LD_LIBRARY_PATH`` or ``PYTHONHOME``, which break the servers' own interpreters) stays
with Cairn. A server gets the SDK's safe minimum (HOME, PATH, USER, ...), the locale, the
temporary and XDG folders, the desktop session, proxies and CA bundles, and then the
variables the user set for it.

Apps started from the macOS Dock get a PATH without Homebrew's folders, so ``npx`` and
``uvx`` are "not found" there although they work in a terminal (the most common complaint
about MCP in desktop apps): those folders are added to the PATH the server is started with.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

INHERITED = (
    # locale and time
    "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ",
    # temporary and per-user folders
    "TMPDIR", "TMP", "TEMP", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
    "XDG_CACHE_HOME", "XDG_STATE_HOME",
    # the desktop session (servers that open windows, use the keyring or the ssh agent)
    "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "SSH_AUTH_SOCK",
    # networks that need a proxy or their own certificates
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
    "http_proxy", "https_proxy", "no_proxy", "all_proxy",
    "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS",
    # Windows folders that programs expect
    "COMSPEC", "PROGRAMDATA", "PROGRAMFILES", "PROGRAMFILES(X86)", "WINDIR",
)
MACOS_EXTRA_PATH = ("/opt/homebrew/bin", "/usr/local/bin")


def server_environment(
    own: Mapping[str, str], environ: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> dict[str, str]:
    """The variables added to the SDK's default environment for one server: the inherited
    ones present in ``environ``, a PATH with the folders a GUI app misses, then ``own``
    (the user's, which win)."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    result = {name: environ[name] for name in INHERITED if environ.get(name)}
    path = search_path(environ, platform)
    if path:
        result["PATH"] = path
    result.update(own)
    return result


def search_path(environ: Mapping[str, str], platform: str) -> str:
    """PATH as Cairn's environment has it, plus Homebrew's folders on macOS."""
    separator = ";" if platform == "win32" else ":"
    path = environ.get("PATH", "")
    if platform != "darwin":
        return path
    parts = [part for part in path.split(separator) if part]
    parts += [folder for folder in MACOS_EXTRA_PATH if folder not in parts]
    return separator.join(parts)
