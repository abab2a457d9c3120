"""Every way a request can fail, said in one clear sentence for the person using Cairn.

Each failure is an :class:`ErrorInfo` with a ``reason`` (which sentence) and ``facts`` (the
numbers and names in it): ``message`` is the sentence in English, for the history file, the
log and the Markdown export; the window says it again in the user's language from the same
reason and facts (``word_error`` with its own translate function: ``ui/session/error_text.py``).
"""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from desktop_app.core.conversation import ErrorInfo

if TYPE_CHECKING:  # the SDK is imported when an error is described, not at start-up
    import anthropic

_KEY_PATTERN = re.compile(r"sk-ant-[A-Za-z0-9_\-]+")
# The API's words for a request over the model's context window.
_PROMPT_TOO_LONG = re.compile(r"prompt is too long:\s*(\d+)\s*tokens\s*>\s*(\d+)")

ERROR_CONTEXT = "ErrorText"
"""The translation context of the sentences below (the UI translates them; api has no Qt)."""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate reads
    """Marks ``text`` for the translation catalog (lupdate finds calls by this name) and
    returns it unchanged: the sentences are English here and translated where shown."""
    return text


# reason -> the sentence in English, with {fields} from ErrorInfo.facts:
# {detail} the API's (or the SDK's) own words, {host}, {status}, {duration} (from "seconds"),
# {tokens} and {limit} (counts).
SENTENCES: dict[str, str] = {
    "bad_request": QT_TRANSLATE_NOOP("ErrorText", "The API rejected the request: {detail}"),
    "authentication": QT_TRANSLATE_NOOP(
        "ErrorText", "Your API key was not accepted. Enter a valid key to continue."),
    "billing": QT_TRANSLATE_NOOP(
        "ErrorText",
        "Your account cannot be billed right now: check your plan and credit balance."),
    "permission": QT_TRANSLATE_NOOP(
        "ErrorText",
        "Your API key is not allowed to do this (for example, to use this model): {detail}"),
    "not_found": QT_TRANSLATE_NOOP(
        "ErrorText", "Not found: {detail}. Pick another model in the header."),
    "too_large": QT_TRANSLATE_NOOP(
        "ErrorText",
        "The conversation is too large to send in one request. Start a new conversation "
        "or remove large attachments."),
    "rate_limit": QT_TRANSLATE_NOOP(
        "ErrorText", "You have hit your rate limit. Wait a moment, then retry."),
    "rate_limit_wait": QT_TRANSLATE_NOOP(
        "ErrorText", "You have hit your rate limit. Try again in {duration}."),
    "server": QT_TRANSLATE_NOOP("ErrorText", "The API had an internal error."),
    "server_status": QT_TRANSLATE_NOOP(
        "ErrorText", "The API had an internal error (HTTP {status}). Try again."),
    "server_error_status": QT_TRANSLATE_NOOP(
        "ErrorText", "The API had a server error (HTTP {status}). Try again."),
    "overloaded": QT_TRANSLATE_NOOP(
        "ErrorText", "Claude is overloaded right now. Try again in a moment."),
    "api_timeout": QT_TRANSLATE_NOOP("ErrorText", "The API took too long to answer."),
    "api_error": QT_TRANSLATE_NOOP("ErrorText", "The API returned an error: {detail}"),
    "too_long": QT_TRANSLATE_NOOP(
        "ErrorText",
        "The conversation is too long for this model: {tokens} tokens, and it reads at most "
        "{limit}. Start a new conversation, pick a model with a larger context window, or "
        "turn on compaction in this conversation's options."),
    "stream_error": QT_TRANSLATE_NOOP(
        "ErrorText", "The reply stopped with an error from the API: {detail}."),
    "stream_error_bare": QT_TRANSLATE_NOOP(
        "ErrorText", "The reply stopped with an error from the API."),
    "unreachable": QT_TRANSLATE_NOOP(
        "ErrorText", "Could not reach the API. Check your internet connection or proxy."),
    "unreachable_host": QT_TRANSLATE_NOOP(
        "ErrorText",
        "Could not reach the API at {host}. Check your internet connection or proxy."),
    "unreachable_waited": QT_TRANSLATE_NOOP(
        "ErrorText",
        "Could not reach the API (no answer within {duration}). Check your internet "
        "connection or proxy."),
    "unreachable_host_waited": QT_TRANSLATE_NOOP(
        "ErrorText",
        "Could not reach the API at {host} (no answer within {duration}). Check your "
        "internet connection or proxy."),
    "read_timeout": QT_TRANSLATE_NOOP(
        "ErrorText",
        "The request timed out before the reply finished. Check your connection, or raise "
        "the timeout in Settings."),
    "went_quiet": QT_TRANSLATE_NOOP(
        "ErrorText", "The connection went quiet in the middle of the reply."),
    "dropped": QT_TRANSLATE_NOOP(
        "ErrorText", "The connection dropped in the middle of the reply."),
    "went_quiet_kept": QT_TRANSLATE_NOOP(
        "ErrorText",
        "The connection went quiet in the middle of the reply; what had arrived is kept."),
    "dropped_kept": QT_TRANSLATE_NOOP(
        "ErrorText",
        "The connection dropped in the middle of the reply; what had arrived is kept."),
    "bad_response": QT_TRANSLATE_NOOP(
        "ErrorText", "The API sent a reply Cairn could not understand."),
    "sdk_error": QT_TRANSLATE_NOOP("ErrorText", "The request failed: {detail}"),
    "unexpected": QT_TRANSLATE_NOOP("ErrorText", "Something unexpected went wrong: {detail}"),
    "cut_off": QT_TRANSLATE_NOOP(
        "ErrorText",
        "The reply was cut off before it finished (the connection ended early)."),
    "interrupted": QT_TRANSLATE_NOOP(
        "ErrorText", "Cairn closed before this reply finished; what had arrived is kept."),
}
IN_STREAM = QT_TRANSLATE_NOOP("ErrorText", "The reply stopped with an error from the API: {sentence}")
"""An error event in the middle of a streamed reply, around one of the sentences above."""
ONE_SECOND = QT_TRANSLATE_NOOP("ErrorText", "1 second")
SECONDS = QT_TRANSLATE_NOOP("ErrorText", "{count} seconds")


def english_count(count: int) -> str:
    return f"{count:,}"


def word_error(
    reason: str,
    facts: Mapping[str, Any],
    translate: Callable[[str], str] = lambda text: text,
    count: Callable[[int], str] = english_count,
) -> str | None:
    """The sentence for ``reason`` with ``facts`` filled in, through ``translate`` (identity:
    English) with counts written by ``count``; None for a reason without a sentence here.

    An error that arrived inside a streamed reply (``facts["in_stream"]``) is one sentence:
    "The reply stopped with an error from the API: " and the reason's sentence continued
    (in English its ordinary first word in lower case)."""
    template = SENTENCES.get(reason)
    if template is None:
        return None
    fields = {name: facts.get(name, "") for name in ("detail", "host", "status")}
    seconds = facts.get("seconds")
    if isinstance(seconds, int | float):
        whole = max(1, round(seconds))
        fields["duration"] = (translate(ONE_SECOND) if whole == 1
                              else translate(SECONDS).format(count=count(whole)))
    for name in ("tokens", "limit"):
        value = facts.get(name)
        fields[name] = count(value) if isinstance(value, int) else ""
    words = translate(template)
    try:
        sentence = words.format(**fields)
    except (KeyError, IndexError, ValueError):  # a translation with a broken {field}
        sentence = template.format(**fields)
    if facts.get("in_stream"):
        if words == template:  # English: the sentence goes on after a colon
            sentence = _continued(sentence)
        sentence = translate(IN_STREAM).format(sentence=sentence)
    return sentence


def error_info(reason: str, kind: str | None = None, **facts: Any) -> ErrorInfo:
    """An ErrorInfo for one of the sentences above (kind: ``reason`` unless given), with its
    English ``message``; further ErrorInfo fields can be set with ``dataclasses.replace``."""
    known = {name: value for name, value in facts.items() if value not in (None, "")}
    message = word_error(reason, known)
    if message is None:
        raise ValueError(f"no sentence for the reason {reason!r}")
    return ErrorInfo(kind or reason, message, reason=reason, facts=known)


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


# Error types as the API names them in its error JSON (also inside a stream's error event):
# (kind, reason, retryable).
_BY_TYPE: dict[str, tuple[str, str, bool]] = {
    "invalid_request_error": ("bad_request", "bad_request", False),
    "authentication_error": ("authentication", "authentication", True),
    "billing_error": ("billing", "billing", True),
    "permission_error": ("permission", "permission", False),
    "not_found_error": ("not_found", "not_found", False),
    "request_too_large": ("too_large", "too_large", False),
    "rate_limit_error": ("rate_limit", "rate_limit", True),
    "api_error": ("server", "server", True),
    "overloaded_error": ("overloaded", "overloaded", True),
    "timeout_error": ("timeout", "api_timeout", True),
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
        return _unreachable(_host_of(exc.request), _connect_timeout(exc.request), "connection")
    if isinstance(exc, anthropic.APITimeoutError):
        return error_info("read_timeout", "timeout")
    if isinstance(exc, anthropic.APIConnectionError):
        return _unreachable(_host_of(exc.request), None, "connection")
    if isinstance(exc, httpx2.TimeoutException):
        return error_info("went_quiet", "timeout")
    if isinstance(exc, httpx2.TransportError | OSError):
        return error_info("dropped", "connection")
    if isinstance(exc, anthropic.APIResponseValidationError):
        return error_info("bad_response")
    if isinstance(exc, anthropic.AnthropicError):
        return error_info("sdk_error", "unknown", detail=redact(str(exc)))
    return error_info("unexpected", "unknown", detail=redact(type(exc).__name__))


def _unreachable(host: str | None, seconds: float | None, kind: str) -> ErrorInfo:
    reason = "unreachable" + ("_host" if host else "") + ("_waited" if seconds else "")
    return error_info(reason, kind, host=host, seconds=seconds)


def cut_off_error() -> ErrorInfo:
    """A stream that ended without ``message_stop``."""
    return error_info("cut_off")


def _describe_status_error(exc: anthropic.APIStatusError) -> ErrorInfo:
    status = exc.status_code if exc.status_code >= 400 else None
    error_type = exc.type or _BY_STATUS.get(exc.status_code)
    if error_type is None and exc.status_code >= 500:
        error_type = "api_error"
    kind, reason, retryable = _BY_TYPE.get(error_type or "", ("unknown", "api_error", True))
    api_words = redact((exc.api_message or "").strip().rstrip("."))
    facts: dict[str, Any] = {"detail": api_words or f"HTTP {exc.status_code}"}
    retry_after = _retry_after(exc.response.headers) if status else None
    if kind == "rate_limit" and retry_after:
        reason, facts["seconds"] = "rate_limit_wait", retry_after
    too_long = _PROMPT_TOO_LONG.search(api_words) if kind == "bad_request" else None
    if too_long is not None:
        kind = reason = "too_long"
        facts = {"tokens": int(too_long[1]), "limit": int(too_long[2])}
    if kind == "server" and status:
        reason, facts = "server_status", {"status": status}
    if kind == "unknown" and status and 500 <= status < 600:
        reason, facts = "server_error_status", {"status": status}
    if status is None and kind not in ("authentication", "permission"):
        # An error event in the middle of a streamed reply (the response itself was a 200).
        if kind == "unknown":  # no words of ours for it: the API's own, as it wrote them
            reason = "stream_error" if api_words else "stream_error_bare"
            facts = {"detail": api_words}
        else:
            facts["in_stream"] = True
    info = error_info(reason, kind, **facts)
    return ErrorInfo(
        kind=kind,
        message=info.message,
        status=status,
        retry_after=retry_after,
        request_id=exc.request_id,
        retryable=retryable,
        needs_key=kind == "authentication",
        reason=info.reason,
        facts=info.facts,
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


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _connect_timeout(request: Any) -> float | None:
    """The request's own connect timeout in seconds, when it has one."""
    try:
        return float(request.extensions["timeout"]["connect"])
    except (AttributeError, KeyError, TypeError, ValueError, RuntimeError):
        return None


def _host_of(request: Any) -> str | None:
    try:
        return str(request.url.host) or None
    except (AttributeError, RuntimeError):
        return None
