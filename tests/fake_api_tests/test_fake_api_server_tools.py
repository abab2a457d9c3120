"""The fake API's server tools (web search, web fetch, code execution), citations, pause_turn,
containers and Files API, driven by the real ``anthropic`` SDK over HTTP.

Scripted uses must arrive as the SDK's own types (its stream accumulator rebuilds them), and
every rule refuses what the real API refuses, so a client that passes here sends what the real
API takes.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

import anthropic
import pytest
from anthropic.types import FileExpiredError, FileNotDownloadableError, StorageQuotaExceededError

from tests.fake_api import (
    Cite,
    CodeRun,
    FakeAnthropicServer,
    ProducedFile,
    Reply,
    SearchHit,
    WebFetch,
    WebSearch,
)
from tests.fake_api_tests.refusals import bad_request as refused

SONNET = "claude-sonnet-4-6"
HI = [{"role": "user", "content": "hi"}]
SEARCH: Any = {"type": "web_search_20260318", "name": "web_search"}
FETCH: Any = {"type": "web_fetch_20260318", "name": "web_fetch", "citations": {"enabled": True}}
CODE: Any = {"type": "code_execution_20260521", "name": "code_execution"}
ALL_TOOLS = [SEARCH, FETCH, CODE]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16




def bad_request(client: anthropic.Anthropic, **kwargs: Any) -> str:
    return refused(client, **{"max_tokens": 1024, **kwargs})


def as_param(message: Any) -> list[dict[str, Any]]:
    """A reply's content as the next request sends it back (as Cairn does)."""
    return [block.to_dict(mode="json", exclude_none=True) for block in message.content]


def after(message: Any, *more: dict[str, Any]) -> list[dict[str, Any]]:
    return [*HI, {"role": "assistant", "content": as_param(message)}, *more]


def rich_reply() -> tuple[Reply, WebSearch, WebFetch, CodeRun]:
    search = WebSearch("tides", hits=[SearchHit("https://ex.org/a", "Title A", "2 days ago"),
                                      SearchHit("https://ex.org/b", "Title B")])
    fetch = WebFetch("https://ex.org/a", title="Title A", text="High tide is at noon.")
    run = CodeRun("python plot.py", stdout="saved\n", files=[ProducedFile("plot.png", PNG,
                                                                          "image/png")])
    reply = Reply("Here is what I found. ", server_uses=[search, fetch, run],
                  cites=[Cite("Tides rise twice a day.", use=0, hit=1),
                         Cite("High tide is at noon.", use=1)])
    return reply, search, fetch, run


# -- serving ---------------------------------------------------------------------------------
def test_a_streamed_reply_has_the_real_wire_shape(server: FakeAnthropicServer,
                                                  client: anthropic.Anthropic) -> None:
    reply, search, fetch, run = rich_reply()
    server.enqueue(reply)
    with client.messages.stream(model=SONNET, max_tokens=1024, messages=HI,
                                tools=ALL_TOOLS) as stream:
        events = list(stream)
        message = stream.get_final_message()
    assert server.script_errors == []
    kinds = [b.type for b in message.content]
    assert kinds == ["server_tool_use", "web_search_tool_result", "server_tool_use",
                     "web_fetch_tool_result", "server_tool_use",
                     "bash_code_execution_tool_result", "text", "text", "text"]
    # the SDK's accumulator rebuilt each input from its input_json_delta pieces
    calls = [b for b in message.content if b.type == "server_tool_use"]
    assert [(c.id, c.name, c.input) for c in calls] == [
        (search.id, "web_search", {"query": "tides"}),
        (fetch.id, "web_fetch", {"url": "https://ex.org/a"}),
        (run.id, "bash_code_execution", {"command": "python plot.py"})]
    starts = [e for e in events if e.type == "content_block_start"]
    assert starts[0].content_block.input == {}        # a call opens empty ...
    assert starts[1].content_block.content[1].title == "Title B"  # ... a result comes whole
    hits = message.content[1].content
    assert [(h.url, h.page_age) for h in hits] == [("https://ex.org/a", "2 days ago"),
                                                   ("https://ex.org/b", None)]
    page = message.content[3].content
    assert page.content.source.data == "High tide is at noon."
    assert page.content.citations.enabled is True
    output = message.content[5].content
    assert (output.stdout, output.return_code) == ("saved\n", 0)
    produced = run.files[0]
    assert [o.file_id for o in output.content] == [produced.id]
    assert server.files[produced.id].downloadable
    # citations arrive before the text they cite
    cited_index = 7
    deltas = [e.delta.type for e in events
              if e.type == "content_block_delta" and e.index == cited_index]
    assert deltas[0] == "citations_delta" and set(deltas[1:]) == {"text_delta"}
    web_cite = message.content[7].citations[0]
    assert (web_cite.type, web_cite.url, web_cite.title, web_cite.cited_text) == (
        "web_search_result_location", "https://ex.org/b", "Title B",
        "Tides rise twice a day.")
    assert web_cite.encrypted_index
    page_cite = message.content[8].citations[0]
    assert (page_cite.type, page_cite.document_title, page_cite.start_char_index,
            page_cite.end_char_index) == ("char_location", "Title A", 0, 21)
    assert message.content[6].text == "Here is what I found. "
    assert message.content[6].citations is None
    # usage counts the searches and fetches; the container comes in message_delta
    assert message.usage.server_tool_use is not None
    assert (message.usage.server_tool_use.web_search_requests,
            message.usage.server_tool_use.web_fetch_requests) == (1, 1)
    delta = next(e for e in events if e.type == "message_delta")
    assert delta.delta.container is not None
    assert delta.delta.container.id in server.containers
    assert message.container is not None and message.container.id == delta.delta.container.id


def test_a_non_streamed_reply_holds_the_same_blocks(server: FakeAnthropicServer,
                                                    client: anthropic.Anthropic) -> None:
    reply, search, _fetch, run = rich_reply()
    server.enqueue(reply)
    message = client.messages.create(model=SONNET, max_tokens=1024, messages=HI,
                                     tools=ALL_TOOLS)
    assert [b.type for b in message.content][:2] == ["server_tool_use",
                                                     "web_search_tool_result"]
    assert message.content[0].input == {"query": "tides"}
    assert message.content[8].citations[0].type == "char_location"
    assert message.usage.server_tool_use.web_search_requests == 1  # type: ignore[union-attr]
    assert message.container is not None and message.container.id in server.containers
    assert message.stop_reason == "end_turn"


def test_error_results_are_not_counted_and_python_runs_use_their_own_blocks(
        server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("", server_uses=[
        WebSearch("one", hits=[SearchHit("https://ex.org", "Ex")]),
        WebSearch("two", error_code="max_uses_exceeded"),
        WebFetch("https://ex.org/x", error_code="url_not_accessible"),
        CodeRun("print(1)", kind="python", error_code="execution_time_exceeded"),
        CodeRun("print(2)", kind="python", stdout="2\n"),
    ]))
    message = client.messages.create(model=SONNET, max_tokens=1024, messages=HI,
                                     tools=ALL_TOOLS)
    blocks = message.content
    assert blocks[3].content.type == "web_search_tool_result_error"
    assert blocks[3].content.error_code == "max_uses_exceeded"
    assert blocks[5].content.error_code == "url_not_accessible"
    assert (blocks[6].name, blocks[6].input) == ("code_execution", {"code": "print(1)"})
    assert blocks[7].type == "code_execution_tool_result"
    assert blocks[7].content.error_code == "execution_time_exceeded"
    assert blocks[9].content.type == "code_execution_result"
    assert not any(b.type == "text" for b in blocks)  # "" adds no empty text block
    usage = message.usage.server_tool_use
    assert usage is not None
    assert (usage.web_search_requests, usage.web_fetch_requests) == (1, 0)
    with pytest.raises(TypeError):
        WebSearch("x", error_code="url_too_long")   # not a web search error code


def test_blocks_sent_back_unchanged_are_accepted(server: FakeAnthropicServer,
                                                 client: anthropic.Anthropic) -> None:
    reply, *_ = rich_reply()
    server.enqueue(reply, Reply("Noted."))
    first = client.messages.create(model=SONNET, max_tokens=1024, messages=HI,
                                   tools=ALL_TOOLS)
    history = after(first, {"role": "user", "content": "And tomorrow?"})
    second = client.messages.create(model=SONNET, max_tokens=1024, messages=history,
                                    tools=ALL_TOOLS)
    assert second.content[0].text == "Noted."  # type: ignore[union-attr]


# -- pause_turn and dangling calls -----------------------------------------------------------
def test_a_dangling_call_pauses_and_is_refused_until_dropped(server: FakeAnthropicServer,
                                                             client: anthropic.Anthropic
                                                             ) -> None:
    done = WebSearch("first", hits=[SearchHit("https://ex.org", "Ex")])
    hanging = WebSearch("second")
    server.enqueue(Reply("Searching. ", server_uses=[done, hanging], dangling=True),
                   Reply("Resumed."))
    with client.messages.stream(model=SONNET, max_tokens=1024, messages=HI,
                                tools=[SEARCH]) as stream:
        paused = stream.get_final_message()
    assert paused.stop_reason == "pause_turn"
    assert paused.content[-1].type == "server_tool_use"
    assert paused.content[-1].id == hanging.id
    assert paused.usage.server_tool_use.web_search_requests == 1  # type: ignore[union-attr]
    # resuming the paused turn as it is: the API's 400
    content = as_param(paused)
    content[-2]["text"] = content[-2]["text"].rstrip()
    resume = [*HI, {"role": "assistant", "content": content}]
    message = bad_request(client, messages=resume, tools=[SEARCH])
    assert message == (f"messages.1.content.3: `web_search` tool use with id `{hanging.id}` "
                       "was found without a corresponding `web_search_tool_result` block")
    # the same call left unanswered in an earlier turn is refused too
    earlier = [*resume, {"role": "user", "content": "go on"}]
    assert "was found without a corresponding" in bad_request(client, messages=earlier,
                                                              tools=[SEARCH])
    assert server.pending == 1
    # without the dangling call the paused turn resumes
    resume[1]["content"] = content[:-1]
    resumed = client.messages.create(model=SONNET, max_tokens=1024, messages=resume,
                                     tools=[SEARCH])
    assert resumed.content[0].text == "Resumed."  # type: ignore[union-attr]


# -- server blocks must come back as issued --------------------------------------------------
def test_changed_or_unknown_server_blocks_are_refused(server: FakeAnthropicServer,
                                                      client: anthropic.Anthropic) -> None:
    reply, search, fetch, _run = rich_reply()
    server.enqueue(reply)
    first = client.messages.create(model=SONNET, max_tokens=1024, messages=HI,
                                   tools=ALL_TOOLS)
    question = {"role": "user", "content": "More?"}
    history = after(first, question)

    def changed(edit: Any) -> list[dict[str, Any]]:
        out = copy.deepcopy(history)
        edit(out[1]["content"])
        return out

    def spoil_content(blocks: Any) -> None:
        blocks[1]["content"][0]["encrypted_content"] = "Eotampered=="

    def spoil_query(blocks: Any) -> None:
        blocks[0]["input"]["query"] = "other"

    def spoil_page(blocks: Any) -> None:
        blocks[3]["content"]["content"]["source"]["data"] = "Low tide."

    cases = [
        (spoil_content, f"messages.1.content.1: `web_search_tool_result` block with id "
                        f"`{search.id}` does not match the block the API returned"),
        (spoil_query, f"messages.1.content.0: `server_tool_use` block with id `{search.id}` "
                      "does not match"),
        (spoil_page, f"messages.1.content.3: `web_fetch_tool_result` block with id `{fetch.id}`"),
    ]
    for edit, expected in cases:
        message = bad_request(client, messages=changed(edit), tools=ALL_TOOLS)
        assert message.startswith(expected), message
    made_up = [*HI, {"role": "assistant", "content": [
        {"type": "server_tool_use", "id": "srvtoolu_01made", "name": "web_search",
         "input": {"query": "x"}},
        {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01made", "content": []}]},
        question]
    assert "was not returned by the API" in bad_request(client, messages=made_up,
                                                        tools=ALL_TOOLS)
    # count_tokens applies the same rule
    with pytest.raises(anthropic.BadRequestError):
        client.messages.count_tokens(model=SONNET, messages=made_up)  # type: ignore[arg-type]


def test_cited_text_goes_back_with_whole_citations(server: FakeAnthropicServer,
                                                   client: anthropic.Anthropic) -> None:
    reply, *_ = rich_reply()
    server.enqueue(reply)
    first = client.messages.create(model=SONNET, max_tokens=1024, messages=HI,
                                   tools=ALL_TOOLS)
    history = after(first, {"role": "user", "content": "More?"})
    cases = [
        (lambda c: c.pop("encrypted_index"),
         "messages.1.content.7.text.citations.0.web_search_result_location.encrypted_index: "
         "Field required"),
        (lambda c: c.update(page=3), "citations.0.web_search_result_location.page: Extra "
                                     "inputs are not permitted"),
        (lambda c: c.update(type="footnote"), "citations.0: Input tag 'footnote' found"),
    ]
    for edit, expected in cases:
        spoiled = copy.deepcopy(history)
        edit(spoiled[1]["content"][7]["citations"][0])
        assert expected in bad_request(client, messages=spoiled, tools=ALL_TOOLS)
    # a page cite without its (None) title, as exclude_none dumps leave it, is whole
    history[1]["content"][8]["citations"][0].pop("document_title")
    client.messages.create(model=SONNET, max_tokens=10, messages=history, tools=ALL_TOOLS)


def test_issued_blocks_for_stored_history(server: FakeAnthropicServer,
                                          client: anthropic.Anthropic) -> None:
    search = WebSearch("old", hits=[SearchHit("https://ex.org", "Ex")])
    history = [*HI, {"role": "assistant", "content": server.issue_server_use(search)},
               {"role": "user", "content": "again"}]
    server.enqueue(Reply("fine"))
    message = client.messages.create(model=SONNET, max_tokens=100, messages=history)
    assert message.content[0].text == "fine"  # type: ignore[union-attr]


# -- scripts the real model could not produce ------------------------------------------------
SCRIPT_CASES: list[tuple[Reply, list[Any], str]] = [
    (Reply(server_uses=[WebSearch("q")]), [FETCH], "the server tool 'web_search'"),
    (Reply(server_uses=[CodeRun("ls")]), [SEARCH], "the server tool 'code_execution'"),
    (Reply(server_uses=[CodeRun("ls")]),
     [{"type": "code_execution_20250522", "name": "code_execution"}], "kind='python'"),
    (Reply(server_uses=[WebSearch("a"), WebSearch("b")]), [{**SEARCH, "max_uses": 1}],
     "max_uses is 1"),
    (Reply(server_uses=[WebSearch("q", hits=[SearchHit("https://evil.example", "E")])]),
     [{**SEARCH, "allowed_domains": ["ex.org"]}], "outside the tool's allowed_domains"),
    (Reply(server_uses=[WebFetch("https://docs.ex.org/p")]),
     [{**FETCH, "blocked_domains": ["ex.org"]}], "in the tool's blocked_domains"),
    (Reply(server_uses=[WebFetch("https://ex.org", text="abc")], cites=[Cite("abc")]),
     [{**FETCH, "citations": {"enabled": False}}], "citations: {'enabled': true}"),
]


def test_scripted_uses_must_be_possible_for_the_request(server: FakeAnthropicServer,
                                                        client: anthropic.Anthropic) -> None:
    for i, (reply, tools, expected) in enumerate(SCRIPT_CASES):
        server.enqueue(reply)
        with pytest.raises(anthropic.InternalServerError) as ei:
            client.messages.create(model=SONNET, max_tokens=100, messages=HI, tools=tools)
        assert "fake_api script error" in str(ei.value)
        assert expected in server.script_errors[i], (i, server.script_errors[i])
    assert len(server.script_errors) == len(SCRIPT_CASES)


# -- server tool definitions -----------------------------------------------------------------
TOOL_CASES: list[tuple[Any, str]] = [
    ({"type": "web_search_20990101", "name": "web_search"},
     "tools.0: Input tag 'web_search_20990101' found using 'type' does not match any of the "
     "expected tags"),
    ({"type": "web_search_20250305", "name": "web_search", "response_inclusion": "full"},
     "tools.0.web_search_20250305.response_inclusion: Extra inputs are not permitted"),
    ({"type": "web_fetch_20250910", "name": "web_fetch", "use_cache": False},
     "tools.0.web_fetch_20250910.use_cache: Extra inputs are not permitted"),
    ({"type": "code_execution_20250825", "name": "code_execution", "max_uses": 3},
     "tools.0.code_execution_20250825.max_uses: Extra inputs are not permitted"),
    ({**SEARCH, "name": "search"}, "tools.0.web_search_20260318.name: Input should be "
                                   "'web_search'"),
    ({**SEARCH, "allowed_domains": ["a.com"], "blocked_domains": ["b.com"]},
     "Cannot specify both allowed_domains and blocked_domains"),
    ({**SEARCH, "allowed_domains": []}, "allowed_domains: List should have at least 1 item"),
    ({**FETCH, "blocked_domains": ["https://b.com"]}, "should not include the scheme"),
    ({**SEARCH, "max_uses": 0}, "max_uses: Input should be greater than or equal to 1"),
    ({**SEARCH, "max_uses": "5"}, "max_uses: Input should be a valid integer"),
    ({**SEARCH, "user_location": {"type": "exact", "city": "Paris"}},
     "user_location.type: Input should be 'approximate'"),
    ({**SEARCH, "user_location": {"type": "approximate", "country": "France"}},
     "user_location.country: String should be a two-letter ISO 3166-1 alpha-2"),
    ({**SEARCH, "user_location": {"type": "approximate", "timezone": "Mars/Olympus"}},
     "user_location.timezone: Invalid IANA time zone"),
    ({**SEARCH, "user_location": {"type": "approximate", "street": "Main St"}},
     "user_location.street: Extra inputs are not permitted"),
    ({**FETCH, "citations": True}, "citations: Input should be an object with a boolean"),
    ({**FETCH, "citations": {"enabled": "yes"}}, "citations: Input should be an object"),
    ({**FETCH, "max_content_tokens": 0},
     "max_content_tokens: Input should be greater than or equal to 1"),
    ({**SEARCH, "response_inclusion": "some"}, "response_inclusion: Input should be 'full'"),
]


def test_server_tool_definitions_are_checked_per_version(server: FakeAnthropicServer,
                                                         client: anthropic.Anthropic) -> None:
    for i, (tool, expected) in enumerate(TOOL_CASES):
        message = bad_request(client, tools=[tool])
        assert expected in message, f"case {i}: {tool!r} -> {message!r}"
    assert server.pending == 0 and server.script_errors == []
    good = [{**SEARCH, "max_uses": 5, "allowed_domains": ["ex.org"], "response_inclusion":
             "excluded", "user_location": {"type": "approximate", "city": "Lyon",
                                           "region": "Rhône", "country": "FR",
                                           "timezone": "Europe/Paris"}},
            {**FETCH, "max_content_tokens": 5000, "use_cache": False, "blocked_domains":
             ["bad.example"], "cache_control": {"type": "ephemeral"}},
            {**CODE, "defer_loading": False},
            {"type": "web_search_20250305", "name": "web_search_old", "max_uses": 1}]
    # each older version is known too (a lone definition, so names stay unique)
    for kind in ("web_search_20250305", "web_search_20260209", "web_fetch_20250910",
                 "web_fetch_20260209", "web_fetch_20260309", "code_execution_20250522",
                 "code_execution_20250825", "code_execution_20260120"):
        name = kind.rsplit("_", 1)[0]
        client.messages.create(model=SONNET, max_tokens=10, messages=HI,
                               tools=[{"type": kind, "name": name}])  # type: ignore[misc]
    client.messages.create(model=SONNET, max_tokens=10, messages=HI,
                           tools=good[:3])  # type: ignore[arg-type]
    assert "web_search_20250305.name: Input should be 'web_search'" in bad_request(
        client, tools=good[3:])


def test_a_model_without_the_capability_refuses_the_tool(server: FakeAnthropicServer,
                                                         client: anthropic.Anthropic) -> None:
    caps = server.models[2]["capabilities"]["server_tools"]   # claude-haiku-4-5
    caps["web_search"]["supported"] = False
    haiku = server.models[2]["id"]
    message = bad_request(client, model=haiku, tools=[CODE, SEARCH])
    assert message.startswith(f"tools.1.web_search_20260318: 'web_search_20260318' is not "
                              f"supported on model '{haiku}'")
    client.messages.create(model=haiku, max_tokens=10, messages=HI, tools=[CODE])
    caps["supported"] = False   # no server tools at all: web fetch goes too
    assert "not supported on model" in bad_request(client, model=haiku, tools=[FETCH])


def test_rejected_tool_types_make_a_version_unknown(server: FakeAnthropicServer,
                                                    client: anthropic.Anthropic) -> None:
    server.rejected_tool_types = {"web_search_20260318"}
    message = bad_request(client, tools=[SEARCH])
    assert message == ("tools.0: Input tag 'web_search_20260318' found using 'type' does not "
                       "match any of the expected tags")
    older = {"type": "web_search_20260209", "name": "web_search"}
    client.messages.create(model=SONNET, max_tokens=10, messages=HI, tools=[older])


# -- containers ------------------------------------------------------------------------------
def test_containers_are_reused_and_refused_when_unknown_or_expired(
        server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("ran", server_uses=[CodeRun("ls")]), Reply("again",
                   server_uses=[CodeRun("ls -l")]))
    first = client.messages.create(model=SONNET, max_tokens=100, messages=HI, tools=[CODE])
    assert first.container is not None
    box = first.container.id
    history = after(first, {"role": "user", "content": "more"})
    second = client.messages.create(model=SONNET, max_tokens=100, messages=history,
                                    tools=[CODE], container=box)
    assert second.container is not None and second.container.id == box
    assert bad_request(client, container="container_011Cnope", tools=[CODE]) == (
        "container: Container 'container_011Cnope' not found")
    server.expire_container(box)
    message = bad_request(client, messages=history, tools=[CODE], container=box)
    assert message.startswith(f"container: Container '{box}' has expired")
    # a reply without a code run and without a container parameter has no container
    plain = client.messages.create(model=SONNET, max_tokens=100, messages=HI, tools=[CODE])
    assert plain.container is None


def test_container_uploads_need_a_stored_file_and_the_code_tool(
        server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    stored = client.files.upload(file=("data.csv", b"a,b\n1,2\n", "text/csv"))
    upload = {"type": "container_upload", "file_id": stored.id}
    ask = [{"role": "user", "content": [{"type": "text", "text": "Plot it"}, upload]}]
    message = bad_request(client, messages=ask, tools=[SEARCH])
    assert message.startswith("messages.0.content.1: `container_upload` blocks require the "
                              "code execution tool")
    missing = [{"role": "user", "content": [{"type": "text", "text": "Plot it"},
                                            {"type": "container_upload",
                                             "file_id": "file_011Cgone"}]}]
    assert bad_request(client, messages=missing, tools=[CODE]) == (
        "messages.0.content.1.container_upload.file_id: File not found: 'file_011Cgone'")
    server.enqueue(Reply("plotted", server_uses=[CodeRun("python plot.py")]))
    reply = client.messages.create(model=SONNET, max_tokens=100, messages=ask, tools=[CODE])
    assert reply.container is not None
    assert stored.id in server.containers[reply.container.id].file_ids
    client.files.delete(stored.id)
    assert "File not found" in bad_request(client, messages=ask, tools=[CODE])


# -- Files API -------------------------------------------------------------------------------
def test_files_api_upload_list_retrieve_download_delete(server: FakeAnthropicServer,
                                                        client: anthropic.Anthropic) -> None:
    uploads = [client.files.upload(file=(f"notes{i}.txt", f"note {i}".encode(), "text/plain"))
               for i in range(3)]
    first = uploads[0]
    assert (first.filename, first.mime_type, first.size_bytes) == ("notes0.txt", "text/plain", 6)
    assert first.downloadable is False and first.expires_at is None
    assert server.files[first.id].data == b"note 0"
    assert "anthropic-beta" not in server.requests[-1].headers   # GA: no beta header sent
    # paged newest first, one per page, through the SDK's cursor
    page = client.files.list(limit=1)
    assert [f.id for f in page.data] == [uploads[2].id] and page.next_page
    assert [f.id for f in client.files.list(limit=1)] == [u.id for u in reversed(uploads)]
    assert [f.id for f in client.files.list(ids=[first.id, "file_011Cnone"]).data] == [first.id]
    assert client.files.retrieve_metadata(first.id).filename == "notes0.txt"
    # an upload cannot be downloaded; a produced file can
    with pytest.raises(FileNotDownloadableError):
        client.files.download(first.id)
    run = CodeRun("make", files=[ProducedFile("out.png", PNG, "image/png")])
    server.enqueue(Reply("made", server_uses=[run]))
    client.messages.create(model=SONNET, max_tokens=100, messages=HI, tools=[CODE])
    produced = run.files[0].id
    meta = client.files.retrieve_metadata(produced)
    assert (meta.filename, meta.mime_type, meta.downloadable) == ("out.png", "image/png", True)
    assert client.files.download(produced).read() == PNG
    server.expire_file(produced)
    with pytest.raises(FileExpiredError):
        client.files.download(produced)
    # deleted: gone from every endpoint
    assert client.files.delete(first.id).type == "file_deleted"
    assert server.files[first.id].deleted
    with pytest.raises(anthropic.NotFoundError):
        client.files.retrieve_metadata(first.id)
    with pytest.raises(anthropic.NotFoundError):
        client.files.delete(first.id)
    assert first.id not in [f.id for f in client.files.list()]
    # the beta resource with its beta header works the same
    beta = client.beta.files.list(betas=["files-api-2025-04-14"])
    assert uploads[1].id in [f.id for f in beta.data]


def test_files_api_refuses_bad_uploads(server: FakeAnthropicServer,
                                       client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.BadRequestError) as ei:
        client.files.upload(file=("a.txt", b"x"), expires_in_seconds=60)
    assert "expires_in_seconds" in ei.value.api_message
    expiring = client.files.upload(file=("a.txt", b"x"), expires_in_seconds=3600)
    assert expiring.expires_at is not None
    server.storage_quota_bytes = 10
    with pytest.raises(StorageQuotaExceededError):
        client.files.upload(file=("big.bin", b"y" * 20))
    with pytest.raises(anthropic.BadRequestError):
        client.files.list(limit=0)


# -- pacing, demo replies --------------------------------------------------------------------
def test_a_gate_holds_a_reply_that_only_uses_server_tools(server: FakeAnthropicServer,
                                                          client: anthropic.Anthropic) -> None:
    gate = threading.Event()
    reply = Reply(server_uses=[WebSearch("slow one", hits=[SearchHit("https://ex.org", "E")])],
                  gate=gate)
    server.enqueue(reply)
    got: list[Any] = []
    worker = threading.Thread(target=lambda: got.append(client.messages.create(
        model=SONNET, max_tokens=100, messages=HI, tools=[SEARCH], stream=True)))
    worker.start()
    assert reply.at_gate.wait(5)     # held after the call's first input piece
    assert not reply.done.is_set()
    gate.set()
    worker.join(5)
    events = list(got[0])
    assert [e.type for e in events][-1] == "message_stop"


def test_the_demo_answers_tool_requests_with_valid_replies(server: FakeAnthropicServer,
                                                           client: anthropic.Anthropic) -> None:
    from scripts.demo_api import server_tool_reply

    server.responder = lambda body: server_tool_reply(body, 0.0)
    server.enqueue(Reply("queued first"))

    def ask(text: str, tools: list[Any] | None = None) -> Any:
        return client.messages.create(model=SONNET, max_tokens=100, tools=tools or [],
                                      messages=[{"role": "user", "content": text}])

    assert ask("search tides", ALL_TOOLS).content[0].text == "queued first"  # the queue first
    cited = ask("search tides", ALL_TOOLS)
    assert [b.type for b in cited.content][:4] == ["server_tool_use", "web_search_tool_result",
                                                   "server_tool_use", "web_fetch_tool_result"]
    assert sum(1 for b in cited.content if getattr(b, "citations", None)) == 3
    run = ask("run code please", ALL_TOOLS)
    file_id = run.content[1].content.content[0].file_id
    assert client.files.download(file_id).read().startswith(b"\x89PNG")
    paused = ask("search, and pause", ALL_TOOLS)
    assert paused.stop_reason == "pause_turn" and paused.content[-1].type == "server_tool_use"
    resume = [{"role": "user", "content": "search, and pause"},
              {"role": "assistant", "content": as_param(paused)[:-1]}]   # dangling call dropped
    resumed = client.messages.create(model=SONNET, max_tokens=100, messages=resume,
                                     tools=ALL_TOOLS)
    assert resumed.stop_reason == "end_turn"
    assert resumed.content[0].input == {"query": "tide tables"}
    assert ask("search tides").content[0].text.startswith("Web search is off")
    assert ask("hello").content[0].text == "Echo: hello"
    title = ask("<user>\nsearch what causes tides?\n</user>\n<assistant>\n...\n</assistant>"
                "\n\nTitle for this conversation:")
    assert title.content[0].text == "Search what causes tides"
    assert ask("search but fail", ALL_TOOLS).content[1].content.error_code == "too_many_requests"
    assert server.script_errors == []
