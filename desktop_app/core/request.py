"""Conversation + options + the model's capabilities -> one Messages request.

Everything that decides what is sent lives here, so it is tested without a network, and a
parameter combination the API would reject cannot be built: options are first fitted to what
the model's capabilities say (``options.fit_to_model``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.catalog import ModelInfo
from desktop_app.core.code_files import uploads_as_notes
from desktop_app.core.conversation import Conversation, system_digest
from desktop_app.core.options import ChatOptions, fit_to_model, model_choices
from desktop_app.core.server_calls import drop_unanswered_server_calls

COMPACTION_BETA = "compact-2026-01-12"
COMPACTION_EDIT = "compact_20260112"
# A system prompt this long (about 1,024 tokens at ~4 characters a token) gets its own cache
# breakpoint, so it stays cached even when the conversation part changes.
LONG_SYSTEM_PROMPT_CHARS = 4_096


class RequestError(ValueError):
    """The conversation cannot be sent as it is (said to the user as it stands)."""


@dataclass
class RequestPlan:
    """A request, ready for the SDK.

    Attributes:
        kwargs: keyword arguments for ``messages.stream()`` (or ``beta.messages.stream()``).
        beta: whether the beta endpoint is needed (``kwargs`` then holds ``betas``).
        options: the options as fitted to the model (what the request really uses).
        system_digest: the fingerprint of the system prompt sent (the reply records it).
        dropped_server_calls: ids of Claude's own tool calls left out because no result
            answers them (a reply stopped or paused mid-call; see ``core.server_calls``).
    """

    kwargs: dict[str, Any]
    beta: bool = False
    options: ChatOptions = field(default_factory=ChatOptions)
    system_digest: str = ""
    dropped_server_calls: list[str] = field(default_factory=list)


def effective_options(defaults: ChatOptions, conversation: Conversation) -> ChatOptions:
    """The global defaults with the conversation's own choices on top."""
    return ChatOptions.from_json(conversation.options, base=defaults)


def build_request(
    conversation: Conversation,
    options: ChatOptions,
    model: ModelInfo,
    *,
    stop_sequences: list[str] | None = None,
    tools: list[dict[str, Any]] | None = None,
    resume_paused: bool = False,
    container: str | None = None,
) -> RequestPlan:
    """The request for the conversation's next reply.

    Everything sent for earlier turns is what was sent before (the API rejects a thinking
    block whose preceding messages changed): a reply cut at max_tokens is continued through
    a stored user turn (``Conversation.add_continue_request``), never by rewriting history.

    Args:
        conversation: its messages must end with the user's turn, except when resuming.
        options: the user's choices; fitted to ``model`` here.
        model: the model, whose capabilities decide which parameters may be sent.
        stop_sequences: optional texts that end the reply.
        tools: the API's ``tools`` (``tool_specs.tools_param``): first in the cache prefix,
            and byte-for-byte the same while the choice of tools is, so the cache stays warm.
        resume_paused: the last reply stopped with ``pause_turn``; send it back as it is.
        container: the id of the code execution container to go on in (``core.containers``).

    Raises:
        RequestError: when there is nothing to send.
    """
    fitted = fit_to_model(options, model)
    choices = model_choices(model)
    system = _system_text(conversation.system_prompt)
    kwargs: dict[str, Any] = {"model": model.id, "max_tokens": fitted.max_tokens}
    if tools:
        kwargs["tools"] = tools
    _add_system(kwargs, system, fitted.cache_ttl)
    _add_thinking(kwargs, fitted, choices.thinking_kind, bool(choices.effort_levels), model)
    thinks = kwargs.get("thinking", {}).get("type", "disabled") != "disabled"
    messages = conversation.api_messages(thinking=thinks, system=system)
    _replace_lone_surrogates(messages)
    dropped = [call for m in messages if m["role"] == "assistant"
               for call in drop_unanswered_server_calls(m["content"])]
    if dropped:
        messages = _merged_turns([m for m in messages if m["content"]])
    if not any(tool.get("name") == "code_execution" for tool in tools or []):
        uploads_as_notes(messages)  # code execution off now: the API refuses its uploads
    if not messages:
        raise RequestError("There is no message to send yet.")
    if messages[-1]["role"] != "user" and not resume_paused:
        raise RequestError("The conversation must end with your message.")
    kwargs["messages"] = messages
    if fitted.cache_ttl != "off":
        # Automatic caching: the API puts the breakpoint on the last cacheable block.
        kwargs["cache_control"] = {"type": "ephemeral", "ttl": fitted.cache_ttl}
    if stop_sequences:
        kwargs["stop_sequences"] = list(stop_sequences)
    beta = False
    has_summary = any(
        block.get("type") == "compaction" for m in messages for block in m["content"]
    )
    if has_summary and not choices.compaction:
        _summaries_as_text(messages)  # this model cannot read compaction blocks
    elif has_summary or fitted.compaction:
        beta = True  # a compaction block may only be sent back under the beta
        kwargs["betas"] = [COMPACTION_BETA]
    if fitted.compaction:
        kwargs["context_management"] = {"edits": [{"type": COMPACTION_EDIT}]}
    if container:
        kwargs["container"] = container
    return RequestPlan(kwargs=kwargs, beta=beta, options=fitted,
                       system_digest=system_digest(system), dropped_server_calls=dropped)


def _system_text(prompt: object) -> str:
    """The system prompt as sent: its text, trimmed. Files are checked against the history
    schema when read, so it is always a string there; anything else is refused here rather
    than sent as some other representation of it."""
    if not isinstance(prompt, str):
        raise RequestError("This conversation's system prompt is not text, so it cannot be sent.")
    try:
        prompt.encode("utf-8")
    except UnicodeEncodeError:
        raise RequestError("This conversation's system prompt holds a character that cannot be "
                           "sent (a lone surrogate).") from None
    return prompt.strip()


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_lone_surrogates(messages: list[dict[str, Any]]) -> None:
    """Text that cannot be encoded as UTF-8 (a lone surrogate, from a pasted or imported
    text) is sent with U+FFFD in its place: the request could never have gone out as it
    was, so no earlier request differs from this one."""
    for message in messages:
        for block in message["content"]:
            text = block.get("text") if block.get("type") == "text" else None
            if isinstance(text, str) and _LONE_SURROGATE.search(text):
                block["text"] = _LONE_SURROGATE.sub("\ufffd", text)


def _merged_turns(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive turns of one role made one (a turn left empty was taken out between)."""
    merged: list[dict[str, Any]] = []
    for message in messages:
        if merged and merged[-1]["role"] == message["role"]:
            merged[-1]["content"].extend(message["content"])
        else:
            merged.append(message)
    return merged


def _summaries_as_text(messages: list[dict[str, Any]]) -> None:
    """Turn compaction blocks into plain text, for a model without compaction support."""
    for message in messages:
        for i, block in enumerate(message["content"]):
            if block.get("type") == "compaction":
                summary = block.get("content") or "(summary unavailable)"
                message["content"][i] = {
                    "type": "text",
                    "text": f"[Summary of the earlier conversation]\n{summary}",
                }


def _add_system(kwargs: dict[str, Any], system: str, cache_ttl: str) -> None:
    if not system:
        return
    if cache_ttl != "off" and len(system) >= LONG_SYSTEM_PROMPT_CHARS:
        kwargs["system"] = [
            {"type": "text", "text": system, "cache_control": {"type": "ephemeral", "ttl": cache_ttl}}
        ]
    else:
        kwargs["system"] = system


def _add_thinking(
    kwargs: dict[str, Any], fitted: ChatOptions, kind: str | None, has_effort: bool, model: ModelInfo
) -> None:
    if kind is not None and fitted.thinking == "off":
        if model.supports("thinking", "types", "disabled"):
            kwargs["thinking"] = {"type": "disabled"}
    elif kind == "adaptive":
        # Newer models hide thinking unless asked; "summarized" lets the user read it.
        kwargs["thinking"] = {"type": "adaptive", "display": "summarized"}
    elif kind == "enabled":
        kwargs["thinking"] = {"type": "enabled", "budget_tokens": fitted.budget_tokens}
    # kind None: the model has no thinking, so nothing is sent about it.
    if has_effort:
        # Effort steers the whole reply (its text, and its thinking of either kind), so it is
        # sent wherever the model takes it: with adaptive thinking, with a budget, or with none.
        kwargs["output_config"] = {"effort": fitted.effort}
