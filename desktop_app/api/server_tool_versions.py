"""Which version of each server tool to send: the newest the installed SDK defines, and the next
older one for a model whose API refused a newer tag.

Server tools are named by dated tags (``web_search_20260318``). The SDK's types list every tag
it knows (``anthropic.types.WebSearchTool20260318Param`` and so on), so a newer SDK brings newer
tools without a code change here. Not every model takes the newest tag; a 400 that names the
tag sent is answered by stepping that tool down one version for that model, remembered while
Cairn runs, and asking again.
"""

from __future__ import annotations

import logging
import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from desktop_app.core.conversation import ErrorInfo
from desktop_app.core.server_tools import DEFAULT_VERSIONS, SERVER_TOOLS

log = logging.getLogger(__name__)

_CLASS_NAMES = {"web_search": "WebSearchTool", "web_fetch": "WebFetchTool",
                "code_execution": "CodeExecutionTool"}
_DATED = re.compile(r"^(?P<prefix>[A-Za-z]+Tool)(?P<date>\d{8})Param$")


def sdk_versions(types_module: Any = None) -> dict[str, tuple[str, ...]]:
    """Tool name -> the version tags the SDK's types define, newest first.

    Each tag is read from its type's ``type`` field (``Literal["web_search_20260318"]``), not
    made up from the class name; a tool the SDK does not define keeps Cairn's default tag.
    """
    if types_module is None:
        import anthropic.types as types_module
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in SERVER_TOOLS}
    prefixes = {prefix: name for name, prefix in _CLASS_NAMES.items()}
    for attribute in dir(types_module):
        match = _DATED.match(attribute)
        if match is None or match["prefix"] not in prefixes:
            continue
        tag = _type_tag(getattr(types_module, attribute))
        name = prefixes[match["prefix"]]
        if tag is not None and tag.startswith(f"{name}_"):
            found[name].append((match["date"], tag))
    return {
        name: tuple(tag for _date, tag in sorted(tags, reverse=True)) or (DEFAULT_VERSIONS[name],)
        for name, tags in found.items()
    }


def _type_tag(param_type: Any) -> str | None:
    """The literal of a tool type's ``type`` field, or None when it is not one string."""
    try:
        hint = typing.get_type_hints(param_type).get("type")
    except Exception:  # noqa: BLE001 - a type the SDK changed shape of: not a tool we know
        return None
    args = typing.get_args(hint)
    return args[0] if len(args) == 1 and isinstance(args[0], str) else None


class ServerToolVersions:
    """The version tags to send to each model, stepping down when a model refuses one.

    Args:
        known: tool name -> tags, newest first (``sdk_versions()`` by default).
    """

    def __init__(self, known: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self._known = dict(known) if known is not None else None
        self._steps: dict[tuple[str, str], int] = {}  # (model id, tool) -> versions skipped

    @property
    def known(self) -> dict[str, tuple[str, ...]]:
        """Tool name -> tags, newest first. Read from the SDK's types when first needed (the
        first request, when the SDK is loaded anyway): importing them at start-up would put
        the whole SDK on the window's first paint."""
        if self._known is None:
            self._known = sdk_versions()
        return self._known

    def for_model(self, model_id: str) -> dict[str, str]:
        """Tool name -> the tag to send to ``model_id``."""
        return {name: tags[min(self._steps.get((model_id, name), 0), len(tags) - 1)]
                for name, tags in self.known.items() if tags}

    def fall_back(self, model_id: str, error: ErrorInfo, sent: Iterable[dict[str, Any]]) -> bool:
        """Step down the tool whose tag ``error`` refuses, for this model.

        Returns True when there is an older tag to try (ask again); False when the error is
        not about a version tag that was sent, or that tool has no older version.
        """
        if error.status != 400:
            return False
        words = f"{error.facts.get('detail', '')} {error.message}"
        for tool in sent:
            tag, name = tool.get("type"), tool.get("name")
            if not isinstance(tag, str) or name not in self.known or not _names(words, tag):
                continue
            tags = self.known[name]
            step = self._steps.get((model_id, name), 0)
            if tags[min(step, len(tags) - 1)] != tag or step + 1 >= len(tags):
                return False
            self._steps[(model_id, name)] = step + 1
            log.info("%s refused %s; trying %s", model_id, tag, tags[step + 1])
            return True
        return False


def _names(words: str, tag: str) -> bool:
    """Whether ``words`` are about ``tag`` itself: named on its own, not as a longer tag that
    starts the same, nor as the head of a key's path ("tools.0.web_search_20260318.max_uses:
    ..." is about a value Cairn sent, which an older version would refuse just the same)."""
    return re.search(rf"(?<!\w){re.escape(tag)}(?!\w|\.\w)", words) is not None
