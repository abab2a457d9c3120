"""A conversation as a Markdown document people can read, print or keep in their notes.

Only the words and pictures are exported (the active path, oldest first); the storage layer
writes the text and copies the stored attachments this module lists into a folder beside it,
so the document's relative links work wherever the two are moved together. No file I/O here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from desktop_app.core.citations import fold_citations, footnote_lines, footnoted_blocks
from desktop_app.core.conversation import Conversation, Message, ReplyState
from desktop_app.core.server_tool_activity import (
    RESULT_TYPES,
    ActivityKind,
    ActivityStatus,
    ServerToolActivity,
    fold_server_tools,
)
from desktop_app.core.images import file_suffix
from desktop_app.core.markdown_links import escape_label, link_target, one_line, web_url

_HASH_PREFIX = 16  # hex digits in an exported file's name: short, and a clash is checked for


@dataclass(frozen=True)
class ExportedFile:
    """A stored attachment the document links to, to be copied beside it.

    Attributes:
        sha256: the attachment's hash (its name in the attachment store).
        media_type: its format, such as ``image/jpeg``.
        target: where it goes, relative to the document's folder (``NAME_files/ab12….jpg``).
    """

    sha256: str
    media_type: str
    target: str


@dataclass(frozen=True)
class MarkdownExport:
    """The document's text and the attachment files it links to."""

    text: str
    files: list[ExportedFile] = field(default_factory=list)


def files_folder_name(document_stem: str) -> str:
    """The folder beside ``NAME.md`` that holds its pictures: ``NAME_files`` (as browsers do)."""
    return f"{document_stem}_files"


def conversation_to_markdown(
    conversation: Conversation, files_dir: str, *, include_thinking: bool = False
) -> MarkdownExport:
    """Render the conversation's active path as Markdown.

    Args:
        conversation: the conversation; only ``conversation.messages`` (the path shown) is used.
        files_dir: the folder name, relative to the document, that attachments are copied to.
        include_thinking: add Claude's readable thinking as a quoted section before its reply.

    Returns:
        The text, and every stored attachment it links to (each listed once).
    """
    writer = _Writer(files_dir.strip("/"), include_thinking)
    lines = [f"# {one_line(conversation.title) or 'Conversation'}", ""]
    lines.append(f"*Exported from Cairn. Started {_when(conversation.created_at)}.*")
    lines.append("")
    if conversation.system_prompt.strip():
        lines += _quoted("**System prompt**\n\n" + conversation.system_prompt)
        lines.append("")
    for message in conversation.messages:
        if message.is_continue_prompt:  # Cairn's own "go on" turn: not part of the talk
            continue
        if message.is_tool_results:  # read as part of the reply whose calls it answers
            lines += writer.tool_results(message)
        else:
            lines += writer.message(message)
    text = "\n".join(lines).rstrip("\n") + "\n"
    return MarkdownExport(text=text, files=list(writer.files.values()))


class _Writer:
    """Renders messages and collects the files they link to."""

    def __init__(self, files_dir: str, include_thinking: bool) -> None:
        self.files_dir = files_dir
        self.include_thinking = include_thinking
        self.files: dict[str, ExportedFile] = {}  # by sha256
        self._names: set[str] = set()
        self._footnotes = 0  # footnotes so far: labels are unique in the whole document

    def message(self, message: Message) -> list[str]:
        if message.role == "user":
            heading = "## **You**"
        else:
            model = f" ({one_line(message.model)})" if message.model else ""
            heading = f"## **Claude**{model}"
        lines = [heading, "", f"*{_when(message.created_at)}*", ""]
        cited = fold_citations(message.content)
        first = self._footnotes + 1
        texts = footnoted_blocks(cited, first) if cited.sources else {}
        work = {a.tool_use_id: a for a in fold_server_tools(message.content)}
        # Text blocks in a row are one text (a cited claim is a block of its own, in the
        # middle of a sentence); other blocks stand apart.
        running: list[str] = []
        for position, block in enumerate([*message.content, {}]):
            if block.get("type") == "text":
                text = texts.get(position, block.get("text"))
                running.append(text if isinstance(text, str) else "")
                continue
            if running:
                joined = "".join(running)
                lines += [joined.strip("\n"), ""] if joined.strip() else []
                running = []
            if block.get("type") == "server_tool_use" and str(block.get("id")) in work:
                rendered = _server_tool_lines(work[str(block.get("id"))])
            elif block.get("type") in RESULT_TYPES or not block:
                rendered = []  # a result is shown with its call
            else:
                rendered = self.block(block)
            if rendered:
                lines += rendered
                lines.append("")
        if cited.sources:
            lines += [*footnote_lines(cited, first), ""]
            self._footnotes += len(cited.sources)
        ending = _ending(message)
        if ending:
            lines += [ending, ""]
        return lines

    def block(self, block: dict[str, Any]) -> list[str]:
        kind = block.get("type")
        if kind == "text":
            text = block.get("text")
            return [text] if isinstance(text, str) and text.strip() else []
        if kind == "thinking":
            thinking = block.get("thinking")
            if self.include_thinking and isinstance(thinking, str) and thinking.strip():
                return _quoted("**Thinking**\n\n" + thinking)
            return []
        if kind in ("image", "document"):
            return [self.attachment(block, kind)]
        if kind == "redacted_thinking":
            return []
        if kind == "tool_use":
            name = one_line(str(block.get("name", "")))
            arguments = json.dumps(block.get("input"), indent=2, ensure_ascii=False, default=str)
            return [f"**Tool call:** `{name.replace('`', '')}`", "", *_fenced(arguments, "json")]
        return [f"*[{one_line(str(kind))} block not shown]*"] if kind else []

    def tool_results(self, message: Message) -> list[str]:
        """Cairn's answers to a reply's tool calls, each under the call it answers."""
        runs = message.extra.get("tool_runs")
        lines: list[str] = []
        for block in message.content:
            if block.get("type") != "tool_result":
                continue
            run = runs.get(block.get("tool_use_id")) if isinstance(runs, dict) else None
            outcome = run.get("outcome") if isinstance(run, dict) else None
            label = "Tool error" if block.get("is_error") else "Tool result"
            if isinstance(outcome, str) and outcome not in ("done", "error"):
                label += f" ({one_line(outcome).replace('_', ' ')})"
            lines += [f"**{label}:**", ""]
            content = block.get("content")
            parts = [{"type": "text", "text": content}] if isinstance(content, str) else (
                content if isinstance(content, list) else [])
            for part in parts:
                if not isinstance(part, dict):
                    continue
                if part.get("type") == "text" and isinstance(part.get("text"), str):
                    lines += [*_fenced(part["text"], "text"), ""]
                else:
                    lines += [f"*[{one_line(str(part.get('type')))} returned by the tool]*", ""]
        return lines

    def attachment(self, block: dict[str, Any], kind: str) -> str:
        notes = block.get("cairn")
        name = notes.get("name") if isinstance(notes, dict) else None
        label = one_line(name) if isinstance(name, str) and name.strip() else kind.capitalize()
        source = block.get("source")
        if not isinstance(source, dict):
            return f"*[{escape_label(label)}]*"
        if source.get("type") == "cairn_attachment":
            sha256, media_type = source.get("sha256"), source.get("media_type")
            if isinstance(sha256, str) and isinstance(media_type, str) and sha256:
                target = self._target(sha256, media_type)
                link = f"[{escape_label(label)}]({link_target(target)})"
                return "!" + link if kind == "image" else link
        if source.get("type") == "url":
            url = source.get("url")
            if isinstance(url, str) and web_url(url):
                # A link, not an embedded picture: opening the document fetches nothing.
                return f"[{escape_label(label)}: {escape_label(url)}]({link_target(url)})"
        return f"*[{escape_label(label)} not included]*"

    def _target(self, sha256: str, media_type: str) -> str:
        known = self.files.get(sha256)
        if known is not None:
            return known.target
        suffix = file_suffix(media_type) or ".bin"
        target = f"{self.files_dir}/{sha256[:_HASH_PREFIX]}{suffix}"
        if target in self._names:  # two hashes sharing a prefix: use the whole hash
            target = f"{self.files_dir}/{sha256}{suffix}"
        self._names.add(target)
        self.files[sha256] = ExportedFile(sha256=sha256, media_type=media_type, target=target)
        return target


def _ending(message: Message) -> str:
    """A note for replies that did not finish, so the reader knows the text is partial."""
    if message.role != "assistant":
        return ""
    if message.state is ReplyState.STOPPED:
        return "*(Stopped before the reply was complete.)*"
    if message.state is ReplyState.FAILED:
        reason = one_line(message.error.message) if message.error else ""
        return f"*(The reply failed{': ' + reason if reason else '.'})*"
    if message.state is ReplyState.STREAMING:
        return "*(The reply was still arriving when Cairn closed.)*"
    return ""


def _server_tool_lines(activity: ServerToolActivity) -> list[str]:
    """One of Claude's own tool calls, as a reader of the export needs it: what was done,
    what came back (search results as links, a run's output), or the error's code."""
    kind = activity.kind
    if kind == ActivityKind.SEARCH:
        lines = [f"*Searched the web:* {escape_label(one_line(activity.query))}"]
        lines += [f"- [{escape_label(one_line(hit.title) or hit.url)}](<{link_target(hit.url)}>)"
                  if web_url(hit.url) else f"- {escape_label(one_line(hit.title))}"
                  for hit in activity.hits]
    elif kind == ActivityKind.FETCH:
        title = escape_label(one_line(activity.title) or activity.url)
        lines = [f"*Read:* [{title}](<{link_target(activity.url)}>)"
                 if web_url(activity.url) else f"*Read:* {title}"]
    elif kind in (ActivityKind.CODE, ActivityKind.BASH):
        lines = ["*Ran code:*", "", *_fenced(activity.code, "python" if kind ==
                                             ActivityKind.CODE else "bash")]
        output = activity.output
        if output is not None:
            shown = output.stdout.rstrip("\n") + ("\n" + output.stderr.rstrip("\n")
                                                 if output.stderr.strip() else "")
            if shown.strip():
                lines += ["", *_fenced(shown, "text")]
            if output.return_code not in (None, 0):
                lines += ["", f"*Exit code {output.return_code}*"]
            if output.file_ids:
                lines += ["", "*Files made:* " + ", ".join(f"`{i}`" for i in output.file_ids)]
    elif kind == ActivityKind.EDITOR:
        lines = [f"*Edited a file ({one_line(activity.command)}):* "
                 f"`{one_line(activity.path).replace('`', '')}`"]
    else:
        lines = [f"*Used {one_line(activity.name).replace('*', '')}*"]
    if activity.status == ActivityStatus.FAILED:
        lines += ["", f"*Failed: {one_line(activity.error_code).replace('*', '')}*"]
    return lines


def _when(stamp: str) -> str:
    """An RFC 3339 time as ``2026-11-25 04:31 UTC``, or as written when it is not one."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return one_line(str(stamp))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _fenced(text: str, info: str) -> list[str]:
    """A fenced code block that no run of backticks in ``text`` can close early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *text.splitlines(), fence]


def _quoted(text: str) -> list[str]:
    """A Markdown block quote: every line, even blank ones, stays inside it."""
    return [f"> {line}".rstrip() for line in text.splitlines()]



