"""The API's limits on images in one request, checked before sending, and the size a new
picture is prepared at. Pure core, no Qt."""

from __future__ import annotations

from typing import Any

from desktop_app.core.image_limits import (
    ImageLimitProblem,
    edge_for_new_image,
    image_edge,
    image_limit_problem,
)


def image(width: int | None = 1000, height: int | None = 800) -> dict[str, Any]:
    notes = {key: value for key, value in (("width", width), ("height", height)) if value}
    return {"type": "image", "source": {"type": "base64"}, **({"cairn": notes} if notes else {})}


def user(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"role": "user", "content": [*blocks, {"type": "text", "text": "Look"}]}


def test_an_image_edge_is_its_longer_known_side() -> None:
    assert image_edge(image(1000, 2400)) == 2400
    assert image_edge(image(3000, None)) == 3000
    assert image_edge({"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}) == 0
    assert image_edge({"type": "image", "cairn": {"width": "wide", "height": 5}}) == 5


def test_twenty_images_of_any_size_are_fine() -> None:
    assert image_limit_problem([user(*(image(8000, 8000) for _ in range(20)))]) is None
    assert image_limit_problem([user()]) is None


def test_over_twenty_images_each_must_be_at_most_2000_px() -> None:
    small = [image(2000, 1500) for _ in range(18)]
    messages = [user(*small), user(image(2001, 10), image(10, 4000), image(100, 100))]
    problem = image_limit_problem(messages)
    assert problem == ImageLimitProblem(count=21, too_large=2)
    assert not problem.too_many
    assert image_limit_problem([user(*small), user(*(image(2000, 2000) for _ in range(3)))]) is None


def test_over_a_hundred_images_is_too_many_whatever_their_size() -> None:
    problem = image_limit_problem([user(*(image(10, 10) for _ in range(101)))])
    assert problem == ImageLimitProblem(count=101, too_large=0)
    assert problem.too_many
    assert image_limit_problem([user(*(image(10, 10) for _ in range(100)))]) is None


def test_a_new_picture_is_prepared_at_the_standard_or_full_size() -> None:
    assert edge_for_new_image(full_resolution=False, images_held=0) == 1568
    assert edge_for_new_image(full_resolution=True, images_held=19) == 8000


def test_once_the_conversation_holds_twenty_images_new_ones_stay_within_2000_px() -> None:
    assert edge_for_new_image(full_resolution=True, images_held=20) == 2000
    assert edge_for_new_image(full_resolution=False, images_held=25) == 1568  # already smaller


def test_pictures_inside_tool_results_count_towards_the_hundred() -> None:
    """An MCP tool's pictures travel inside ``tool_result`` blocks: the API counts them too."""
    result = {"type": "tool_result", "tool_use_id": "toolu_1",
              "content": [image(), image(), {"type": "text", "text": "two pictures"}]}
    messages = [user(*[image() for _ in range(99)]), {"role": "user", "content": [result]}]
    problem = image_limit_problem(messages)
    assert problem is not None and problem.too_many and problem.count == 101
    assert image_limit_problem([{"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "t", "content": "text only"}, "not a block"]}]) is None
