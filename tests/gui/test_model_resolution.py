"""Which model a message goes to: the account's own list, never a built-in guess that does
not exist, and never silently another model than the one the user picked."""

from __future__ import annotations

import threading

import pytest

from desktop_app.core.catalog import FALLBACK_MODELS, ModelInfo
from desktop_app.core.conversation import ReplyState
from desktop_app.storage.paths import AppPaths
from desktop_app.ui.session.services import Services
from tests.conftest import until
from tests.fake_api import ApiError, Reply, default_models
from tests.helpers.gui_helpers import finished_reply, replies, type_and_send

pytestmark = pytest.mark.asyncio

GONE = "claude-opus-9-9"  # listed by a stale cache or a gateway, unknown to the API


def cache_models(data_dir, models: list[ModelInfo]) -> None:
    services = Services.create(AppPaths.portable(data_dir))
    try:
        services.model_cache.save(models)
    finally:
        services.close()


def real_default() -> str:
    from desktop_app.core.catalog import Catalog

    catalog = Catalog([ModelInfo.from_api(m) for m in default_models()], from_api=True)
    model = catalog.default_model()
    assert model is not None
    return model.id


async def test_a_first_message_waits_for_the_model_list_instead_of_guessing(
        app_factory, fake_api, qtbot):
    gate = threading.Event()
    fake_api.models_gate = gate
    window = await app_factory(start=False)
    statuses: list[str] = []
    window.controller.status_changed.connect(statuses.append)
    await window.controller.start()
    assert all(m.builtin for m in window.controller.catalog.models)  # first start: no cache

    fake_api.enqueue(Reply("Hello from the real default."))
    type_and_send(window, qtbot, "Hi, straight away")
    await until(lambda: "Getting the list of models…" in statuses, message="waiting shown")
    assert not fake_api.message_requests()  # nothing goes to a guessed model id
    gate.set()
    reply = await finished_reply(window)
    assert reply.state == ReplyState.COMPLETE, reply.error
    assert reply.text == "Hello from the real default."
    sent_to = fake_api.message_requests()[-1].body["model"]
    assert sent_to == real_default()
    assert sent_to not in {m.id for m in FALLBACK_MODELS}
    assert window.controller.current.model == sent_to


async def test_a_default_model_the_api_does_not_know_is_replaced_and_sent_once_more(
        app_factory, fake_api, qtbot, data_dir):
    listed = [ModelInfo.from_api(m) for m in default_models()]
    stale = ModelInfo(GONE, "Claude Opus 9.9", "2099-01-01T00:00:00Z", line="opus",
                      max_input_tokens=200_000, max_tokens=32_000)
    cache_models(data_dir, [stale, *listed])
    gate = threading.Event()
    fake_api.models_gate = gate  # the fresh list arrives only after the message was sent
    window = await app_factory(start=False)
    await window.controller.start()
    assert window.controller.current.model == GONE

    fake_api.enqueue(Reply("Answered by a model that exists."))
    type_and_send(window, qtbot, "Hello")
    await until(lambda: fake_api.message_requests(), message="first attempt")
    gate.set()
    reply = await finished_reply(window)
    assert reply.state == ReplyState.COMPLETE, reply.error
    assert reply.text == "Answered by a model that exists."
    tried = [r.body["model"] for r in fake_api.message_requests()]
    assert tried == [GONE, real_default()]
    assert len(replies(window)) == 1
    assert window.controller.current.model == real_default()
    assert window.header.model_picker.currentData() == real_default()


async def test_a_model_the_user_picked_is_never_swapped_silently(app_factory, fake_api, qtbot):
    stale = ModelInfo(GONE, "Claude Opus 9.9", "2099-01-01T00:00:00Z", line="opus",
                      max_input_tokens=200_000, max_tokens=32_000)
    fake_api.models = [*default_models(), stale.to_json()]  # listed, yet refused when used
    window = await app_factory()
    await window.controller.set_model(GONE)
    fake_api.enqueue(ApiError(404, "not_found_error", f"model: {GONE}"))
    type_and_send(window, qtbot, "Hello")
    reply = await finished_reply(window)
    assert reply.state == ReplyState.FAILED and reply.error.kind == "not_found"
    assert "Pick another model" in reply.error.message
    assert [r.body["model"] for r in fake_api.message_requests()] == [GONE]
    assert window.controller.current.model == GONE
