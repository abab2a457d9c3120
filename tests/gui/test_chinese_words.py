"""Sentences made from data are Chinese in a Chinese interface: the options chip and its
tooltip, an API error, an import's summary, counts grouped the locale's way."""

from __future__ import annotations

import re

import pytest

from desktop_app.api.errors import SENTENCES, cut_off_error, error_info
from desktop_app.core.conversation import ErrorInfo, ReplyState
from desktop_app.core.import_problems import ImportProblem, ProblemKind
from desktop_app.storage.archive import ImportResult
from desktop_app.ui.runtime.translations import remove_translators
from desktop_app.ui.session.error_text import error_sentence
from desktop_app.ui.transfer.import_summary import import_summary
from tests.fake_api import ApiError, StreamError
from tests.helpers.gui_helpers import finished_reply, type_and_send

HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"\b(?!API\b|HTTP\b|Claude\b|Cairn\b|MTok\b|token\b)[A-Za-z]{3,}\b")


def reads_chinese(text: str) -> bool:
    return bool(HAN.search(text)) and not ENGLISH_WORD.search(text)


@pytest.mark.asyncio
async def test_options_chip_and_its_tooltip_in_chinese(chinese, app_factory):
    window = await app_factory()
    chip = window.header.options_chip
    assert chip.wording(0) == "思考 · 投入程度：高 · 缓存：5 分钟"
    assert chip.wording(chip.levels - 1) == "投入程度：高"
    assert reads_chinese(chip.text()), chip.text()
    tooltip = chip.toolTip()
    assert "投入程度：高" in tooltip and "提示缓存：5 分钟" in tooltip
    assert all(reads_chinese(line) for line in tooltip.splitlines()), tooltip
    picker = window.header.model_picker
    priced = [picker.itemText(i) for i in range(picker.count()) if "$" in picker.itemText(i)]
    assert priced and all("每百万 token" in text for text in priced)


@pytest.mark.asyncio
@pytest.mark.parametrize("script", [
    ApiError(529, "overloaded_error", "Overloaded"),
    ApiError(429, "rate_limit_error", "slow down", headers={"retry-after": "7"}),
    StreamError(after_text="Half a", type="overloaded_error", message="Overloaded"),
], ids=["overloaded", "rate-limit", "in-stream"])
async def test_an_api_error_in_chinese(chinese, app_factory, fake_api, qtbot, script):
    window = await app_factory()
    fake_api.enqueue(script)
    type_and_send(window, qtbot, "Hello?")  # keyClicks cannot type Chinese
    reply = await finished_reply(window)
    assert reply.state == ReplyState.FAILED
    card = window.messages.widget_for(reply.id).card_text.text()
    assert reads_chinese(card), card
    assert not HAN.search(reply.error.message)  # the history file keeps the English sentence
    assert reply.error.reason and ErrorInfo.from_json(reply.error.to_json()) == reply.error
    if isinstance(script, ApiError) and script.status == 429:
        assert "7 秒后" in card


def test_every_error_sentence_is_translated_and_keeps_its_facts(chinese):
    facts = {"detail": "model: nope", "host": "api.example.com", "status": 503,
             "seconds": 12, "tokens": 250_000, "limit": 200_000}
    for reason in SENTENCES:
        info = error_info(reason, **{k: v for k, v in facts.items()
                                     if "{" + k in SENTENCES[reason] or k == "seconds"})
        shown = error_sentence(info)
        assert HAN.search(shown), (reason, shown)
        for name in ("host", "status"):
            if "{" + name + "}" in SENTENCES[reason]:
                assert str(facts[name]) in shown, (reason, shown)
    too_long = error_sentence(error_info("too_long", tokens=250_000, limit=200_000))
    assert "250,000" in too_long and "200,000" in too_long


def test_error_sentences_in_english_are_the_stored_ones():
    remove_translators()
    assert error_sentence(cut_off_error()) == cut_off_error().message
    in_stream = error_info("overloaded", in_stream=True)
    assert error_sentence(in_stream) == in_stream.message == (
        "The reply stopped with an error from the API: Claude is overloaded right now. "
        "Try again in a moment.")
    old = ErrorInfo("rate_limit", "A sentence from an old history file.")
    assert error_sentence(old) == old.message


def test_an_import_summary_in_chinese(chinese):
    result = ImportResult(added=1500, skipped=2, attachments_added=1, problem_count=3)
    assert import_summary(result) == "已添加 1,500 个对话，2 个已存在，已添加 1 个附件，3 个问题。"
    assert import_summary(ImportResult(added=1)) == "已添加 1 个对话。"


def test_an_import_summary_in_english():
    result = ImportResult(added=1500, renamed=1, skipped=2, problem_count=1)
    assert import_summary(result) == (
        "1,500 conversations added, 1 added as imported copies, 2 already here, 1 problem.")
    stopped = ImportResult(stopped=ImportProblem(ProblemKind.NOT_AN_ARCHIVE))
    assert import_summary(stopped) == (
        "This .zip is not a Cairn archive: it holds no conversations. Nothing was imported.")
