"""Deceptive links and bidirectional controls (issue 17, broken promise 4): which links ask
before they open, how their target is shown, and that no bidi control in model text can
reorder a line of the rendered HTML."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.link_safety import (
    BIDI_CONTROLS,
    BIDI_MARKS,
    INTERNATIONAL_HOST,
    MIXED_SCRIPTS,
    TEXT_SHOWS_OTHER_ADDRESS,
    UNUSUAL_HOST,
    USER_INFO,
    addresses_in,
    check_link,
    check_link_texts,
    describe_target,
    display_url,
    host_to_ascii,
    host_to_unicode,
    lookalike,
    mixes_scripts,
    neutralise_bidi,
)
from desktop_app.core.markdown import MarkdownRenderer
from desktop_app.core.safe_html import plain_to_html

# -- which links ask -----------------------------------------------------------------------

SAFE = [
    # (text, target): open on one click
    ("https://bank.example.com/login", "https://bank.example.com/login"),
    ("https://bank.example.com/login/", "https://bank.example.com/login"),  # trailing slash
    ("https://bank.example.com/login", "https://bank.example.com/login/"),
    ("HTTPS://BANK.EXAMPLE.COM/login", "https://bank.example.com/login"),  # upper case
    ("https://Bank.Example.com/Login", "https://bank.example.com/login"),
    ("bank.example.com", "https://bank.example.com/"),  # no scheme
    ("bank.example.com", "https://bank.example.com"),
    ("www.example.com", "https://example.com/"),  # www. ignored
    ("example.com", "https://www.example.com/page"),
    ("http://example.com", "https://example.com"),  # the scheme is not the site
    ("python.org", "https://docs.python.org/3/"),  # a subdomain of what the text shows
    ("example.com/page", "https://example.com/page?ref=x"),  # text shows no query
    ("example.com/a b", "https://example.com/a"),
    ("https://example.com/%7Euser", "https://example.com/~user"),  # percent-encoding
    ("https://example.com/a…", "https://example.com/abc"),  # cut short with an ellipsis
    ("example.com/a...", "https://example.com/abc"),
    ("https://de.wikipedia.org/wiki/Köln",
     "https://de.wikipedia.org/wiki/K%C3%B6ln"),  # markdown-it's encoding of the target
    ("the docs", "https://docs.python.org/3/"),  # ordinary words
    ("Read more", "https://example.com"),
    ("", "https://example.com"),
    ("Python 3.12", "https://docs.python.org/3.12/"),  # a version is not a domain
    ("main.py", "https://github.com/x/y/blob/main/main.py"),  # a file name is not a domain
    ("README.md", "https://github.com/x/y"),
    ("df.at", "https://pandas.pydata.org/docs/reference/api/pandas.DataFrame.at.html"),
    ("os.path.join", "https://docs.python.org/3/library/os.path.html"),
    ("user.id", "https://example.com/docs"),
    ("See bank.exam…", "https://example.net"),  # cut before the name is complete
    ("Example (example.com).", "https://example.com/"),  # punctuation around it
    ("support@bank.com", "mailto:support@bank.com"),
    ("Support@Bank.com", "mailto:support@bank.com"),
    ("write to us", "mailto:support@bank.com"),
    ("bank.com", "mailto:support@bank.com"),
    ("support@bank.com", "https://bank.com/contact"),
    ("a\u200bb", "https://example.com"),
]


@pytest.mark.parametrize(("text", "url"), SAFE)
def test_safe_links_open_on_one_click(text, url):
    check = check_link(text, url)
    assert check.reasons == (), check


DECEPTIVE = [
    # (text, target, the address the text shows)
    ("https://bank.example.com/login", "https://evil.example.net/login",
     "https://bank.example.com/login"),
    ("https://bank.example.com/login", "https://bank.example.com.evil.net/login",
     "https://bank.example.com/login"),  # the subdomain trick
    ("bank.example.com", "https://bank.example.com.evil.net/", "bank.example.com"),
    ("bank.example.com", "https://evil.net", "bank.example.com"),  # no scheme
    ("BANK.EXAMPLE.COM", "https://evil.net", "BANK.EXAMPLE.COM"),
    ("Log in at bank.example.com now.", "https://evil.net", "bank.example.com"),
    ("www.bank.com", "https://evil.net", "www.bank.com"),
    ("bank.com/login", "https://evil.net/login", "bank.com/login"),
    ("bank.at/login", "https://evil.net/login", "bank.at/login"),  # file-like TLD, with a path
    ("https://bank.com@evil.net", "https://evil.net/", "https://bank.com@evil.net"),
    ("github.com/anthropics/claude", "https://github.com/evil/claude",
     "github.com/anthropics/claude"),  # same host, other path
    ("https://example.com/a?x=1", "https://example.com/a?x=2", "https://example.com/a?x=1"),
    ("https://example.com/b…", "https://example.com/abc", "https://example.com/b…"),
    ("setup.zip", "https://github.com/x/y", "setup.zip"),  # .zip is a TLD
    ("paypal.de", "https://evil.net", "paypal.de"),
    ("192.168.1.1", "https://evil.net", "192.168.1.1"),
    ("support@bank.com", "mailto:phish@evil.net", "support@bank.com"),
    ("support@bank.com", "mailto:phish@bank.com", "support@bank.com"),
    ("https://bank.com", "mailto:x@evil.net", "https://bank.com"),
    ("ｂａｎｋ.com", "https://evil.net", "bank.com"),  # fullwidth letters
    ("bank\u200b.com", "https://evil.net", "bank.com"),  # an invisible space inside
    ("bank。com", "https://evil.net", "bank.com"),  # an ideographic full stop
    ("例子.中国", "https://www.example.com", "例子.中国"),
    ("https://аррӏе.com", "https://apple.com", "https://аррӏе.com"),
    ("apple.com", "https://xn--80ak6aa92e.com", "apple.com"),  # text Latin, target Cyrillic
]


@pytest.mark.parametrize(("text", "url", "shown"), DECEPTIVE)
def test_text_showing_another_address_asks(text, url, shown):
    check = check_link(text, url)
    assert TEXT_SHOWS_OTHER_ADDRESS in check.reasons and check.asks
    assert shown in check.shown


def test_a_right_to_left_override_in_the_text_cannot_disguise_the_address():
    # Written "https://bank.com/‮ten.live//:sptth" it would read as a second bank address.
    check = check_link("https://bank.com/\u202eten.live", "https://evil.net/")
    assert check.asks and check.shown == ("https://bank.com/[U+202E]ten.live",)
    check = check_link("https://evil.net/\u202e", "https://evil.net/%E2%80%AE")
    assert check.shown == ("https://evil.net/[U+202E]",)  # shown with a marker, still asks


def test_the_user_info_trick_asks_even_when_the_text_is_the_target():
    check = check_link("https://bank.com@evil.net", "https://bank.com@evil.net")
    assert check.reasons == (USER_INFO,)
    assert check.host == check.host_ascii == "evil.net" and check.user_info == "bank.com"
    check = check_link("https://bank.example.com/login",
                       "https://bank.example.com%2Flogin@evil.net/")
    assert set(check.reasons) == {TEXT_SHOWS_OTHER_ADDRESS, USER_INFO}
    assert check.host_ascii == "evil.net"


HOMOGRAPHS = [
    # (target as markdown-it leaves it, reads as, imitates)
    ("https://xn--80ak6aa92e.com/", "аррӏе.com", "apple.com"),  # Cyrillic
    ("https://xn--pypal-4ve.com/", "pаypal.com", "paypal.com"),  # one Cyrillic letter
    ("https://xn--mxaaa.com", "ααα.com", "aaa.com"),  # Greek
    ("https://xn--ggle-55da.com", "gооgle.com", "google.com"),
]


@pytest.mark.parametrize(("url", "reads_as", "imitates"), HOMOGRAPHS)
def test_look_alike_hosts_ask_and_show_both_forms(url, reads_as, imitates):
    for text in ("click here", reads_as, url, url.upper()):
        check = check_link(text, url)
        assert INTERNATIONAL_HOST in check.reasons and MIXED_SCRIPTS in check.reasons
        assert check.host == reads_as
        assert check.host_ascii == url.split("/")[2].lower()
        assert check.lookalike == imitates
        assert "Latin" in check.scripts and len(check.scripts) == 2


def test_an_unencoded_international_host_is_checked_the_same():
    check = check_link("аррӏе.com", "https://аррӏе.com/")
    assert check.host == "аррӏе.com" and check.host_ascii == "xn--80ak6aa92e.com"
    assert INTERNATIONAL_HOST in check.reasons and MIXED_SCRIPTS in check.reasons
    assert TEXT_SHOWS_OTHER_ADDRESS not in check.reasons


@pytest.mark.parametrize(("url", "reads_as"), [
    ("https://xn--mnchen-3ya.de/", "münchen.de"),  # Latin only
    ("https://xn--e1afmkfd.xn--p1ai/", "пример.рф"),  # Cyrillic only
    ("https://xn--fsqu00a.xn--fiqs8s/", "例子.中国"),  # Han only
    ("https://xn--eckwd4c7c.xn--zckzah/", "ドメイン.テスト"),  # Katakana only
    ("https://xn--r8jz45g.com/", "例え.com"),  # Han + Hiragana + Latin: written together
])
def test_every_international_host_asks_but_only_a_mixture_counts_as_mixed(url, reads_as):
    check = check_link("a page", url)
    assert check.reasons == (INTERNATIONAL_HOST,)
    assert check.host == reads_as and check.lookalike == ""


def test_punycode_that_does_not_decode_still_asks():
    check = check_link("site", "https://xn--zz-invalid.com/")
    assert INTERNATIONAL_HOST in check.reasons
    assert check.host_ascii == "xn--zz-invalid.com"


def test_a_host_hidden_behind_escapes_or_numbers_asks():
    # Browsers decode escapes in a host: this is the Cyrillic look-alike again.
    check = check_link("Apple", "https://%D0%B0%D1%80%D1%80%D3%8F%D0%B5.com/")
    assert {INTERNATIONAL_HOST, MIXED_SCRIPTS, UNUSUAL_HOST} <= set(check.reasons)
    assert check.host_ascii == "xn--80ak6aa92e.com" and check.lookalike == "apple.com"
    check = check_link("Example", "https://ex%41mple.com/")
    assert check.reasons == (UNUSUAL_HOST,) and check.host_ascii == "example.com"
    # IPv4 addresses in the forms browsers accept, shown as dotted decimal.
    for url, address in [("http://0x7f.1/", "127.0.0.1"), ("http://3232235777/", "192.168.1.1"),
                         ("http://127.1/", "127.0.0.1"), ("http://010.0.0.1/", "8.0.0.1")]:
        check = check_link("router", url)
        assert check.reasons == (UNUSUAL_HOST,) and check.host_ascii == address, url
        assert display_url(url) == f"http://{address}/"
    assert check_link("router", "http://192.168.1.1/").reasons == ()
    assert check_link("192.168.1.1", "http://3232235777/").reasons == (UNUSUAL_HOST,)
    # A host that decodes to characters no host holds is shown escaped, not as "a/b.com".
    check = check_link("x", "https://a%2Fb.com/")
    assert UNUSUAL_HOST in check.reasons and check.host_ascii == "a%2fb.com"
    assert display_url("https://a%2Fb.com/") == "https://a%2fb.com/"


def test_a_link_asks_when_the_opener_would_contact_another_host():
    check = check_link("docs", "https://example.com/", opened_host="example.com")
    assert check.reasons == ()
    check = check_link("docs", "https://example.com/", opened_host="evil.net")
    assert check.reasons == (UNUSUAL_HOST,) and check.host_ascii == "evil.net"


def test_an_upper_case_scheme_does_not_slip_an_international_host_past():
    """markdown-it punycodes a host only after a lower-case http(s) scheme; after HTTPS://
    it percent-encodes it, which the browser decodes again."""
    html_text = MarkdownRenderer().render("[Apple](HTTPS://аррӏе.com/)")[0]
    href = html.unescape(re.search(r'href="([^"]*)"', html_text).group(1))
    assert href == "HTTPS://%D0%B0%D1%80%D1%80%D3%8F%D0%B5.com/"
    check = check_link("Apple", href)
    assert check.asks and check.host_ascii == "xn--80ak6aa92e.com"


def test_scripts_and_lookalikes():
    assert mixes_scripts("аррӏе.com") and mixes_scripts("xn--80ak6aa92e.com")
    assert mixes_scripts("gοοgle.com")  # Greek omicrons
    assert not mixes_scripts("example.com") and not mixes_scripts("пример.рф")
    assert not mixes_scripts("例え.com") and not mixes_scripts("한국.com")
    assert mixes_scripts("пример.中国")  # Cyrillic with Han is not a writing system
    assert lookalike("аррӏе.com") == "apple.com" and lookalike("example.com") == ""
    assert lookalike("пример.рф") == ""  # letters with no Latin twin
    assert host_to_unicode("xn--80ak6aa92e.com") == "аррӏе.com"
    assert host_to_ascii("АРРӀЕ.com") == "xn--80ak6aa92e.com"  # IDNA folds the case


def test_addresses_in_text():
    assert addresses_in("see https://a.example/x, or www.b.example.") == [
        "https://a.example/x", "www.b.example"]
    assert addresses_in("mail me@example.org (or <other@example.net>)") == [
        "me@example.org", "other@example.net"]
    assert addresses_in("version 1.2.3 of main.py and df.at[0]") == []
    assert addresses_in("word") == []


def test_several_links_to_one_target_ask_if_any_of_them_deceives():
    url = "https://evil.net/login"
    assert not check_link_texts(["sign in"], url).asks
    check = check_link_texts(["sign in", "bank.example.com"], url)
    assert check.asks and check.text == "bank.example.com"
    assert not check_link_texts([], url).asks


# -- how a target is shown -----------------------------------------------------------------

def test_the_target_is_shown_so_it_cannot_be_disguised():
    assert display_url("https://example.com/a?b=c#d") == "https://example.com/a?b=c#d"
    # Readable letters of any script are decoded; what could hide or reorder is not.
    assert display_url("https://ja.wikipedia.org/wiki/%E6%9D%B1%E4%BA%AC") == (
        "https://ja.wikipedia.org/wiki/東京")
    assert display_url("https://x.com/a%E2%80%AEb%20c%00") == "https://x.com/a%E2%80%AEb%20c%00"
    assert display_url("https://x.com/%2F..%2F") == "https://x.com/%2F..%2F"
    # An international host as it is looked up, and as it reads after it.
    assert describe_target("https://xn--80ak6aa92e.com/login") == (
        "https://xn--80ak6aa92e.com/login  (аррӏе.com)")
    assert describe_target("https://аррӏе.com/login") == (
        "https://xn--80ak6aa92e.com/login  (аррӏе.com)")
    assert describe_target("https://bank.com@evil.net:8443/") == "https://bank.com@evil.net:8443/"
    assert describe_target("mailto:a@example.com") == "mailto:a@example.com"
    # Raw characters that could reorder, hide, or be read as markup by a label.
    assert describe_target("https://x.com/\u202ea\u200b<b>") == (
        "https://x.com/[U+202E]a[U+200B]%3Cb%3E")


# -- bidirectional controls ----------------------------------------------------------------

ALL_BIDI = BIDI_CONTROLS + BIDI_MARKS


def test_bidi_controls_become_visible_markers():
    assert neutralise_bidi("abc") == "abc"
    assert neutralise_bidi("file\u202etxt.exe") == "file[U+202E]txt.exe"
    assert neutralise_bidi("".join(BIDI_CONTROLS)) == (
        "[U+202A][U+202B][U+202C][U+202D][U+202E][U+2066][U+2067][U+2068][U+2069]")
    # Marks stay in prose (right-to-left writing uses them) and are marked on request.
    assert neutralise_bidi("שלום\u200f!") == "שלום\u200f!"
    assert neutralise_bidi("a\u200e\u200f\u061c", marks=True) == "a[U+200E][U+200F][U+061C]"


def test_the_renderer_neutralises_bidi_in_every_kind_of_text():
    html_text = MarkdownRenderer().render(
        "Prose \u202eevil\n\n# Heading \u2067x\u2069\n\n`code \u202d`\n\n"
        "```python\nx = 1  # \u202e comment\n```\n\n$x\u202e$\n\n| a\u2066 |\n|---|\n| b |\n\n"
        "[link \u200f text](https://example.com/\u202e) ![alt\u200e](https://example.com/i.png)"
        "\n\n> quote \u202b\n\n- item \u202a\n")[0]
    assert not re.search(f"[{BIDI_CONTROLS}]", html_text)
    for code in ("202E", "2067", "2069", "202D", "2066", "202B", "202A"):
        assert f"[U+{code}]" in html_text
    assert "link [U+200F] text</a>" in html_text  # marks too, inside link text
    assert "[image: alt[U+200E]]</a>" in html_text


def test_code_blocks_copy_as_written():
    _, blocks = MarkdownRenderer().render("```\nif x\u202e:\n```\n")
    assert blocks == ["if x\u202e:\n"]


def test_a_reply_too_long_to_format_is_neutralised_too(monkeypatch):
    monkeypatch.setattr("desktop_app.core.markdown.MAX_MARKDOWN_CHARS", 10)
    html_text = MarkdownRenderer().render("a long reply \u202e reversed")[0]
    assert "[U+202E]" in html_text and "\u202e" not in html_text


def test_user_text_is_neutralised():
    assert plain_to_html("a\u202eb <c>\nd") == "a[U+202E]b &lt;c&gt;<br>d"


FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BIDI = st.sampled_from(list(ALL_BIDI))
WORDS = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
PIECES = st.one_of(
    BIDI, WORDS, BIDI, st.sampled_from([
        "\n", "\n\n", "# ", "> ", "- ", "1. ", "`", "```\n", "\n```\n", "$", "$$\n", "**", "_",
        "[", "](https://example.com/", ")", "<https://", ">", "| a | b |\n|---|---|\n| ",
        "https://", ".com", "    ", "\\", "![", "&", "&#x202E;", "&#8238;", "%E2%80%AE",
    ]),
)
BIDI_MARKDOWN = st.lists(PIECES, max_size=40).map("".join)
_ANCHOR_TEXT = re.compile(r"<a [^>]*>(.*?)</a>", re.DOTALL)


@FUZZ
@given(BIDI_MARKDOWN)
def test_no_bidi_control_survives_rendering(text):
    """Whatever the model writes, no embedding, override or isolate reaches the HTML (so none
    can reorder a line), and no mark reaches a link's text or address."""
    renderer = MarkdownRenderer()
    html_text, _ = renderer.render(text)
    assert not re.search(f"[{BIDI_CONTROLS}]", html_text)
    for anchor_text in _ANCHOR_TEXT.findall(html_text):
        assert not re.search(f"[{ALL_BIDI}]", anchor_text)
    for href in re.findall(r'href="([^"]*)"', html_text):
        assert not re.search(f"[{ALL_BIDI}]", href)
        assert not re.search(f"[{ALL_BIDI}]", describe_target(href))


@FUZZ
@given(st.lists(st.one_of(BIDI, WORDS), max_size=20).map("".join))
def test_neutralised_text_has_no_bidi_and_keeps_everything_else(text):
    marked = neutralise_bidi(text, marks=True)
    assert not re.search(f"[{ALL_BIDI}]", marked)
    assert re.sub(r"\[U\+[0-9A-F]{4}\]", "", marked) == re.sub(f"[{ALL_BIDI}]", "", text) \
        or "[U+" in text  # (text that itself looks like a marker)


URL_PIECES = st.one_of(
    BIDI, WORDS,
    st.sampled_from(["https://", "http://", "www.", "bank.example.com", ".evil.net", "@", "/",
                     "xn--80ak6aa92e", ".com", "аррӏе", ":8080", "?q=", "#", "%", "%2F", "…",
                     "[", "]", "mailto:", "x@y.org", " ", "。"]),
)


@FUZZ
@given(st.lists(URL_PIECES, max_size=12).map("".join), st.lists(URL_PIECES, max_size=12).map(
    "".join))
def test_checking_any_link_never_raises_and_a_text_equal_to_its_target_never_deceives(text, url):
    check = check_link(text, url)
    assert isinstance(check.asks, bool)
    describe_target(url)
    rendered = MarkdownRenderer().render(f"[x](<{url}>)")[0]
    for href in re.findall(r'href="([^"]*)"', rendered):
        href = html.unescape(href)
        same = check_link(href, href)
        assert TEXT_SHOWS_OTHER_ADDRESS not in same.reasons, same
