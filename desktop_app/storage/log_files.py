"""The logs folder for bug reports: rotating files, with API keys and message content
always redacted.

Cairn never logs message content itself; the filter is the second line of defence: against
a key (``sk-ant-…``) or a bearer token slipping into a log line through an exception text,
and against the SDK's debug lines that print whole requests (``Request options: {…}``).
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "cairn.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
_SECRET = re.compile(r"(sk-ant-[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-]*|(Bearer\s+)\S+", re.IGNORECASE)


def redact(text: str) -> str:
    """Keys keep only a short prefix; bearer tokens disappear."""
    return _SECRET.sub(lambda m: (m.group(1) + "…") if m.group(1) else m.group(2) + "…", text)


# Log lines of libraries that would carry a request's or reply's content, by their start.
_CONTENT_LINES = ("Request options:", "HTTP Response body", "Response body")


class RedactingFilter(logging.Filter):
    """Rewrites every record's final text with secrets and message content removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not record.name.startswith("desktop_app"):
            for start in _CONTENT_LINES:
                if message.startswith(start):
                    message = start + " [left out: may contain message content]"
        if record.exc_info:
            formatter = logging.Formatter()
            message += "\n" + formatter.formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg = redact(message)
        record.args = None
        return True


def install(logs_dir: Path, level: int = logging.INFO) -> RotatingFileHandler | None:
    """Send the app's log to ``logs_dir/cairn.log`` (rotated); None if the folder is unusable."""
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            logs_dir / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setLevel(level)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return handler
