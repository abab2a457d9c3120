"""Writing links into Markdown that Cairn produces (exports, copied replies with footnotes):
only web addresses become links, and no title or address can end a link early or start
formatting. Shared by ``export_markdown`` and ``citations``."""

from __future__ import annotations

import urllib.parse


def web_url(url: str) -> str:
    """``url`` if it is an http(s) address with a host, else ""."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def one_line(text: str | None) -> str:
    """``text`` with every run of white space (line breaks too) made one space."""
    return " ".join((text or "").split())


def escape_label(text: str) -> str:
    """Link text that cannot end the link early or start formatting."""
    escaped = text.replace("\\", "\\\\")
    for char in "[]*_`<>":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def link_target(target: str) -> str:
    """A link destination without spaces, brackets or parentheses that would end it early."""
    return urllib.parse.quote(target, safe="/:?#[]@!$&'*+,;=%~-._")
