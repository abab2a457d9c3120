"""Every way a request can fail, said in one clear sentence for the person using Cairn."""

from __future__ import annotations

import email.utils
import math
import re
import time
from typing import Any

from typing import TYPE_CHECKING

from desktop_app.core.conversation import ErrorInfo

if TYPE_CHECKING:  # the SDK is imported when an error is described, not at start-up
    import anthropic

_KEY_PATTERN = re.compile(r"sk-ant-[A-Za-z0-9_\-]+")
# The API's words for a request over the model's context window.
_PROMPT_TOO_LONG = re.compile(r"prompt is too long:\s*(\d+)\s*tokens\s*>\s*(\d+)")


class ReplyFailed(Exception):
    """A reply could not be completed; ``info`` says why in the user's terms."""

    def __init__(self, info: ErrorInfo) -> None:
        super().__init__(info.message)
        self.info = info


def sdk_error() -> type[Exception]:
    """The SDK's base error class. The SDK takes about two seconds to import, so it is loaded
    only once the window is up (the first request, the model list), never at start-up."""
    import anthropic

    return anthropic.APIError


def redact(text: str) -> str:
    """Remove anything shaped like an API key from text that may be shown or logged."""
    return _KEY_PATTERN.sub("sk-ant-…", text)


# Error types as the API names them in its error JSON (also inside a stream's error event).
_BY_TYPE: dict[str, tuple[str, str, bool]] = {
    "invalid_request_error": ("bad_request", "The API rejected the request: {detail}", False),
    "authentication_error": (
        "authentication",
        "Your API key was not accepted. Enter a valid key to continue.",
        True,
    ),
    "billing_error": (
        "billing",
        "Your account cannot be billed right now: check your plan and credit balance.",
        True,
    ),
    "permission_error": (
        "permission",
        "Your API key is not allowed to do this (for example, to use this model): {detail}",
        False,
    ),
    "not_found_error": ("not_found", "Not found: {detail}. Pick another model in the header.", False),
    "request_too_large": (
        "too_large",
        "The conversation is too large to send in one request. Start a new conversation "
        "or remove large attachments.",
        False,
    ),
    "rate_limit_error": ("rate_limit", "You have hit your rate limit.", True),
    "api_error": ("server", "The API had an internal error.", True),
    "overloaded_error": (
        "overloaded",
        "Claude is overloaded right now. Try again in a moment.",
        True,
    ),
    "timeout_error": ("timeout", "The API took too long to answer.", True),
}

_BY_STATUS: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    502: "api_error",
    503: "overloaded_error",
    504: "timeout_error",
    529: "overloaded_error",
}


def describe_error(exc: BaseException) -> ErrorInfo:
    """Map an exception from the SDK (or the HTTP layer under it) to an :class:`ErrorInfo`."""
    import anthropic
    import httpx2

    if isinstance(exc, ReplyFailed):
        return exc.info
    if isinstance(exc, anthropic.APIStatusError):
        return _describe_status_error(exc)
    if isinstance(exc, anthropic.APITimeoutError) and _caused_by(exc, httpx2.ConnectTimeout):
        # Nothing answered at all: the setting's longer timeout is for the API's answer.
        host, seconds = _host_of(exc.request), _connect_timeout(exc.request)
        return ErrorInfo(
            "connection",
            f"Could not reach the API{host}{seconds}. Check your internet connection or proxy.",
        )
    if isinstance(exc, anthropic.APITimeoutError):
        return ErrorInfo(
            "timeout",
            "The request timed out before the reply finished. Check your connection, or "
            "raise the timeout in Settings.",
        )
    if isinstance(exc, anthropic.APIConnectionError):
        host = _host_of(exc.request)
        return ErrorInfo(
            "connection",
            f"Could not reach the API{host}. Check your internet connection or proxy.",
        )
    if isinstance(exc, httpx2.TimeoutException):
        return ErrorInfo("timeout", "The connection went quiet in the middle of the reply.")
    if isinstance(exc, httpx2.TransportError | OSError):
        return ErrorInfo("connection", "The connection dropped in the middle of the reply.")
    if isinstance(exc, anthropic.APIResponseValidationError):
        return ErrorInfo("bad_response", "The API sent a reply Cairn could not understand.")
    if isinstance(exc, anthropic.AnthropicError):
        return ErrorInfo("unknown", redact(f"The request failed: {exc}"))
    return ErrorInfo("unknown", redact(f"Something unexpected went wrong: {type(exc).__name__}"))


def cut_off_error() -> ErrorInfo:
    """A stream that ended without ``message_stop``."""
    return ErrorInfo(
        "cut_off",
        "The reply was cut off before it finished (the connection ended early).",
    )


def _describe_status_error(exc: anthropic.APIStatusError) -> ErrorInfo:
    status = exc.status_code if exc.status_code >= 400 else None
    error_type = exc.type or _BY_STATUS.get(exc.status_code)
    if error_type is None and exc.status_code >= 500:
        error_type = "api_error"
    kind, template, retryable = _BY_TYPE.get(
        error_type or "", ("unknown", "The API returned an error: {detail}", True)
    )
    api_words = redact((exc.api_message or "").strip().rstrip("."))
    message = template.format(detail=api_words or f"HTTP {exc.status_code}")
    retry_after = _retry_after(exc.response.headers) if status else None
    if kind == "rate_limit":
        message += f" Try again in {_seconds(retry_after)}." if retry_after else " Wait a moment, then retry."
    too_long = _PROMPT_TOO_LONG.search(api_words) if kind == "bad_request" else None
    if too_long is not None:
        kind = "too_long"
        message = (
            f"The conversation is too long for this model: {int(too_long[1]):,} tokens, and it "
            f"reads at most {int(too_long[2]):,}. Start a new conversation, pick a model with a "
            "larger context window, or turn on compaction in this conversation's options."
        )
    if kind == "server" and status:
        message = f"The API had an internal error (HTTP {status}). Try again."
    if kind == "unknown" and status and 500 <= status < 600:
        message = f"The API had a server error (HTTP {status}). Try again."
    if status is None and kind not in ("authentication", "permission"):
        # An error event in the middle of a streamed reply (the response itself was a 200).
        if kind == "unknown":  # no words of ours for it: the API's own, as it wrote them
            message = "The reply stopped with an error from the API" + (
                f": {api_words}." if api_words else "."
            )
        else:
            message = "The reply stopped with an error from the API: " + _continued(message)
    return ErrorInfo(
        kind=kind,
        message=message,
        status=status,
        retry_after=retry_after,
        request_id=exc.request_id,
        retryable=retryable,
        needs_key=kind == "authentication",
    )


# Words that keep their capital letter inside a sentence.
_NAMES = frozenset({"Claude"})


def _continued(sentence: str) -> str:
    """One of the sentences above, continued after a colon: an ordinary first word ("The",
    "Your") in lower case; a name ("Claude") or an abbreviation ("API") as it is."""
    first = sentence.split(" ", 1)[0]
    if first in _NAMES or first[1:2].isupper():
        return sentence
    return sentence[:1].lower() + sentence[1:]


MAX_RETRY_AFTER_SECONDS = 24 * 3600.0  # a longer (or infinite, or NaN) wait is not believed


def _retry_after(headers: Any) -> float | None:
    """Seconds from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date); None when
    absent or not a believable number."""
    seconds = _raw_retry_after(headers)
    if seconds is None or not math.isfinite(seconds) or seconds > MAX_RETRY_AFTER_SECONDS:
        return None
    return max(0.0, seconds)


def _raw_retry_after(headers: Any) -> float | None:
    try:
        ms = headers.get("retry-after-ms")
        if ms is not None:
            return float(ms) / 1000
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is None:
                return None
            return email.utils.mktime_tz(parsed) - time.time()
    except (TypeError, ValueError, OverflowError):
        return None


def _seconds(value: float) -> str:
    whole = max(1, round(value))
    return f"{whole} second{'s' if whole != 1 else ''}"


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _connect_timeout(request: Any) -> str:
    """E.g. ' (no answer within 5 seconds)', from the request's own connect timeout."""
    try:
        seconds = float(request.extensions["timeout"]["connect"])
    except (AttributeError, KeyError, TypeError, ValueError, RuntimeError):
        return ""
    return f" (no answer within {_seconds(seconds)})"


def _host_of(request: Any) -> str:
    try:
        return f" at {request.url.host}"
    except (AttributeError, RuntimeError):
        return ""
