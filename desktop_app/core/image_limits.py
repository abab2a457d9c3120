"""How many images, and how large, one request may carry (the API's limits), checked before a
request leaves, and the size a newly attached picture is prepared at to stay within them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.core.images import (
    API_MAX_EDGE,
    DEFAULT_MAX_EDGE,
    MANY_IMAGES,
    MANY_IMAGES_MAX_EDGE,
    MAX_IMAGES_PER_REQUEST,
)


def image_edge(block: Mapping[str, Any]) -> int:
    """The longer side of a stored image, in pixels (0: not known, such as a link)."""
    notes = block.get("cairn") or {}
    edges = [notes.get("width"), notes.get("height")]
    return max((e for e in edges if isinstance(e, int)), default=0)


@dataclass(frozen=True)
class ImageLimitProblem:
    """Why the API would refuse a request for its images.

    Attributes:
        count: the images in the request (links count too).
        too_large: how many are over ``MANY_IMAGES_MAX_EDGE`` (0 when there are simply more
            than ``MAX_IMAGES_PER_REQUEST``).
    """

    count: int
    too_large: int = 0

    @property
    def too_many(self) -> bool:
        """More images than any request may carry, whatever their size."""
        return self.count > MAX_IMAGES_PER_REQUEST


def image_limit_problem(
    messages: Iterable[Mapping[str, Any]],
) -> ImageLimitProblem | None:
    """At most ``MAX_IMAGES_PER_REQUEST`` images in a request; with more than
    ``MANY_IMAGES``, none larger than ``MANY_IMAGES_MAX_EDGE`` on a side. ``messages`` are in
    the API's shape. None: the request is within both limits."""
    images = [b for m in messages for b in _blocks(m["content"]) if b.get("type") == "image"]
    if len(images) > MAX_IMAGES_PER_REQUEST:
        return ImageLimitProblem(len(images))
    if len(images) <= MANY_IMAGES:
        return None
    large = sum(1 for b in images if image_edge(b) > MANY_IMAGES_MAX_EDGE)
    return ImageLimitProblem(len(images), large) if large else None


def _blocks(content: Iterable[Any]) -> Iterable[Mapping[str, Any]]:
    """A message's blocks, and those inside its tool results (an MCP tool's pictures count
    towards the request's images like any other)."""
    for block in content:
        if not isinstance(block, Mapping):
            continue
        yield block
        inner = block.get("content") if block.get("type") == "tool_result" else None
        if isinstance(inner, list):
            yield from (part for part in inner if isinstance(part, Mapping))


def edge_for_new_image(*, full_resolution: bool, images_held: int) -> int:
    """The longest side a picture attached now is prepared at: the models' standard size, or
    full size; within ``MANY_IMAGES_MAX_EDGE`` once the conversation holds (counting those
    waiting to go with the next message) enough images that the API asks for it (an image is
    never prepared again once sent)."""
    edge = API_MAX_EDGE if full_resolution else DEFAULT_MAX_EDGE
    if images_held >= MANY_IMAGES:
        edge = min(edge, MANY_IMAGES_MAX_EDGE)
    return edge
