"""Deceptive links and text that reorders itself: what Cairn checks before a link from model
output opens, and how bidirectional controls in model text are shown. Pure: no Qt, no I/O.

Bidirectional controls
    The embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) can reorder the rest
    of a line: "file\\u202etxt.exe" reads as "fileexe.txt". Wherever text from a conversation
    is shown they are replaced by a visible marker such as ``[U+202E]``, so they can neither
    reorder anything nor hide. The marks (LRM U+200E, RLM U+200F, ALM U+061C) only settle the
    direction of the neutral characters next to them and are ordinary in right-to-left
    writing, so prose keeps them; in link text and addresses, where they serve only to
    disguise, they are marked too (``marks=True``).

When a link asks before it opens (``check_link``)
    - The text shows an address (``https://...``, ``www.``, ``host/path``, an e-mail address,
      or a bare domain such as ``bank.example.com``) whose host is not the target's host or
      a subdomain of it (``www.`` ignored), or whose path, query or fragment differs (case,
      percent-encoding and a trailing slash ignored; a path ending in "..." or "…" is a
      prefix). A bare ``name.xx`` counts as a domain only with a top-level domain that is not
      also a common file extension or method name (``main.py``, ``df.at``): see
      ``_NOT_DOMAINS``; ``bank.at/login`` still counts. An address in the text that puts
      something before "@" (``https://bank.com@evil.net`` reads as bank.com) or cannot be
      parsed always counts as another address, unless the text is exactly the target.
    - The target's host is internationalised (punycode ``xn--``, or non-ASCII): every such
      host is shown as written and as it is looked up, because its letters may imitate
      other letters.
    - The host mixes scripts: its letters come from more than one script (by
      ``unicodedata`` names: LATIN, CYRILLIC, GREEK, ...), except Latin with the scripts
      that are written together with Han (Han + Hiragana/Katakana, Han + Hangul, Han +
      Bopomofo). ``аррӏе.com`` (Cyrillic + Latin) mixes; ``пример.рф`` does not.
    - The target has a user name before ``@`` (``https://bank.com@evil.net`` goes to
      evil.net).
    - The target's host is written in a form that hides it: percent-escapes
      (``https://%D0%B0pple.com``, which browsers decode), a numeric address other than
      dotted decimal (``http://0x7f.1``, ``http://3232235777``), characters no host may
      hold, or a host other than the one the opener (Qt) would contact (``opened_host``).
Ordinary words as link text with an ordinary host open on one click, as does a link whose
text is its own address.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from encodings import idna
from urllib.parse import SplitResult, unquote, urlsplit

# -- bidirectional controls ----------------------------------------------------------------

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Embeddings, overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI)."""
BIDI_MARKS = "\u200e\u200f\u061c"
"""LRM, RLM, ALM: legitimate in prose, marked in link text and addresses."""

_CONTROLS = re.compile(f"[{BIDI_CONTROLS}]")
_CONTROLS_AND_MARKS = re.compile(f"[{BIDI_CONTROLS}{BIDI_MARKS}]")


def bidi_marker(char: str) -> str:
    """What is shown instead of a bidirectional control: ``[U+202E]``."""
    return f"[U+{ord(char):04X}]"


def neutralise_bidi(text: str, *, marks: bool = False) -> str:
    """``text`` with each bidirectional control replaced by a visible marker (also the LRM,
    RLM and ALM marks with ``marks``). The markers hold no HTML-special character, so this
    can be applied to finished HTML as well as to plain text."""
    pattern = _CONTROLS_AND_MARKS if marks else _CONTROLS
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda m: bidi_marker(m.group()), text)


# -- hosts ---------------------------------------------------------------------------------

_DOTS = re.compile("[.\u3002\uff0e\uff61]")  # IDNA's label separators
_MAX_LABEL = 255  # longer "labels" are not decoded (punycode decoding is quadratic)


def _label_to_unicode(label: str) -> str | None:
    """A label as it reads (``xn--`` decoded); None if it is not valid punycode."""
    if not label.lower().startswith("xn--"):
        return label
    if len(label) > _MAX_LABEL:
        return None
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return None


def _label_to_ascii(label: str) -> str:
    if label.isascii():
        return label.lower()
    try:
        return idna.ToASCII(label).decode("ascii").lower()
    except (UnicodeError, ValueError):
        try:  # not valid IDNA (nameprep refuses it): what markdown-it would have sent
            return "xn--" + label.lower().encode("punycode").decode("ascii")
        except UnicodeError:
            return label.lower()


def host_to_unicode(host: str) -> str:
    """A host as it reads: each ``xn--`` label decoded (invalid ones are left as they are)."""
    return ".".join(_label_to_unicode(label) or label for label in _DOTS.split(host))


def host_to_ascii(host: str) -> str:
    """A host as it is looked up: lower case, each non-ASCII label in punycode."""
    return ".".join(_label_to_ascii(label) for label in _DOTS.split(host))


def _host_key(host: str) -> str:
    """A host for comparing: as it reads, NFKC, case-folded, without a final dot or "www."."""
    host = _ipv4(unquote(host.strip())) or unquote(host.strip())
    key = unicodedata.normalize("NFKC", host_to_unicode(host)).casefold().rstrip(".")
    key = ".".join(_DOTS.split(key))
    return key[4:] if key.startswith("www.") else key


_IPV4_PART = re.compile(r"0[xX](?P<hex>[0-9a-fA-F]*)|(?P<oct>0[0-7]*)|(?P<dec>[1-9][0-9]*)")
_NUMERIC = re.compile(r"0[xX][0-9a-fA-F]*|[0-9]+")


def _ipv4(host: str) -> str | None:
    """A host that is an IPv4 address in any form browsers accept (``127.1``, ``0x7f.0.0.1``,
    ``2130706433``, octal parts) as dotted decimal; None if it is not one."""
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    if not labels or len(labels) > 4 or not _NUMERIC.fullmatch(labels[-1]):
        return None
    numbers = []
    for label in labels:
        match = _IPV4_PART.fullmatch(label)
        if match is None:
            return None
        if match.group("hex") is not None:
            numbers.append(int(match.group("hex") or "0", 16))
        elif match.group("oct") is not None:
            numbers.append(int(match.group("oct"), 8))
        else:
            numbers.append(int(match.group("dec")))
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = numbers[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1]))
    return ".".join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))


# What no host may hold once percent-escapes are decoded (the URL standard's forbidden host
# code points, and "%" itself).
_FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")


def _script(char: str) -> str:
    """The script of a letter from its Unicode name ("" for anything but a letter)."""
    if char.isascii():
        return "LATIN" if char.isalpha() else ""
    if not unicodedata.category(char).startswith("L"):
        return ""
    name = unicodedata.name(char, "")
    if name.startswith(("CJK ", "IDEOGRAPHIC ")):
        return "HAN"
    word = name.split(" ", 1)[0]
    if word in ("HALFWIDTH", "FULLWIDTH"):
        word = name.split(" ")[1]
    if word.startswith("KATAKANA"):
        return "KATAKANA"
    if word in ("MODIFIER", "SMALL", ""):
        return ""
    return word


# Scripts written together: Latin with Japanese, Korean or Chinese (as Chromium's IDN policy).
_TOGETHER = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
)


def host_scripts(host: str) -> list[str]:
    """The scripts of the letters of a host as it reads, in order of first appearance."""
    seen: dict[str, None] = {}
    for char in unicodedata.normalize("NFKC", host_to_unicode(host)):
        script = _script(char)
        if script:
            seen.setdefault(script, None)
    return list(seen)


def mixes_scripts(host: str) -> bool:
    """Whether a host's letters come from scripts that are not written together."""
    scripts = set(host_scripts(host))
    return len(scripts) > 1 and not any(scripts <= together for together in _TOGETHER)


# Letters that look like Latin ones (a small part of Unicode's confusables list: the ones
# used to imitate domain names).
_LOOKALIKES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x",
    "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y", "ɡ": "g", "ь": "b", "п": "n", "г": "r",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j", "ω": "w", "γ": "y",
    # Armenian
    "օ": "o", "ս": "u", "ց": "g", "հ": "h", "ո": "n", "ք": "p", "զ": "q",
    # Latin letters that are not ASCII
    "ı": "i", "ɑ": "a", "ɩ": "i", "ʏ": "y", "ḷ": "l", "ɵ": "o", "ǀ": "l",
})


def lookalike(host: str) -> str:
    """The ASCII name a host's letters imitate ("аррӏе.com" -> "apple.com"), or ""."""
    readable = unicodedata.normalize("NFKC", host_to_unicode(host)).lower()
    if readable.isascii():
        return ""
    imitated = readable.translate(_LOOKALIKES)
    return imitated if imitated.isascii() else ""


# -- addresses in link text ----------------------------------------------------------------

# Top-level domains that make a bare "name.tld" (no scheme, no www., no path) an address.
# Any two-letter one counts, except these, which are common file extensions or method
# names ("main.py", "README.md", "df.at", "user.id", "x.to"):
_NOT_DOMAINS = frozenset(
    "py md rs sh pl pm cc mk ml mm sc st ts js cs hs rb go kt gz xz bz db so ps jl ex fs vb "
    "at to is as do id by on or if of".split())
_GENERIC = frozenset(
    "com net org edu gov mil int info biz name pro aero coop museum mobi asia tel travel jobs "
    "arpa app dev page blog shop store online site website tech cloud xyz top club live link "
    "click zip mov email bank finance money news media wiki icu vip win loan work art design "
    "space fun guru agency support services solutions digital network systems software "
    "login account security secure tools today world life global center company google "
    "apple amazon microsoft paypal".split())

_DOMAIN = re.compile(
    r"(?P<host>(?:[^\W_](?:[\w-]{0,62}[^\W_])?\.)+(?P<tld>[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59}))"
    r"\.?(?::(?P<port>\d{1,5}))?(?P<rest>[/?#]\S*)?",
    re.IGNORECASE,
)
_IPV4 = re.compile(r"(?P<host>\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?(?P<rest>[/?#]\S*)?")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]{0,31}:", re.IGNORECASE)
_EMAIL = re.compile(r"(?:mailto:)?(?P<local>[^\s@/:]+)@(?P<host>[^\s@/?#]+)", re.IGNORECASE)
_OPENERS = "([{<\"'“‘«‹「『"
_CLOSERS = ")]}>\"'”’»›」』.,;:!?"
_ELLIPSES = ("…", "...")
_MAX_TEXT = 4000  # longer link text is checked in its first part


@dataclass(frozen=True)
class _Address:
    """An address a link's text shows."""

    shown: str  # as it appears in the text
    host: str = ""
    path: str = ""
    query: str | None = None
    fragment: str | None = None
    email: str = ""  # local@host, when the text shows an e-mail address
    unparsable: bool = False  # looks like an address but is none, or hides its host behind "@"


def _analysable(text: str) -> str:
    """The text as a reader sees it: bidi controls as markers, other invisible format
    characters (zero-width spaces, joiners, soft hyphens) gone, compatibility forms folded."""
    text = neutralise_bidi(text[:_MAX_TEXT], marks=True)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return _DOTS.sub(".", unicodedata.normalize("NFKC", text))


def _bare_domain(match: re.Match[str]) -> bool:
    tld = match.group("tld").lower()
    if match.group("rest") and match.group("rest").startswith("/"):
        return True  # bank.at/login
    if not tld.isascii() or tld.startswith("xn--"):
        return True
    return tld in _GENERIC or (len(tld) == 2 and tld not in _NOT_DOMAINS)


def _address(token: str) -> _Address | None:
    """The address a word of link text shows, or None if it shows none."""
    email = _EMAIL.fullmatch(token)
    if email and _DOMAIN.fullmatch(email.group("host")):
        host = email.group("host")
        return _Address(token, host=host, email=f"{email.group('local')}@{host}")
    if "://" in token or token.lower().startswith("www."):
        url = token if "://" in token else "http://" + token
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
        except ValueError:
            return _Address(token, unparsable=True)
        if not host or "@" in parts.netloc:  # "https://bank.com@evil.net" reads as bank.com
            return _Address(token, unparsable=True)
        return _from_parts(token, host, parts)
    match = _DOMAIN.fullmatch(token) or _IPV4.fullmatch(token)
    if match is None or ("tld" in match.groupdict() and not _bare_domain(match)):
        return None
    try:
        parts = urlsplit("http://" + token)
    except ValueError:
        return _Address(token, unparsable=True)
    return _from_parts(token, match.group("host"), parts)


def _from_parts(token: str, host: str, parts: SplitResult) -> _Address:
    return _Address(
        token, host=host, path=parts.path,
        query=parts.query if "?" in token else None,
        fragment=parts.fragment if "#" in token else None,
    )


def addresses_in(text: str) -> list[str]:
    """The addresses a link's text shows, as written (for tests and the dialog)."""
    return [address.shown for address in _addresses(text)]


def _addresses(text: str) -> list[_Address]:
    found: list[_Address] = []
    for word in _analysable(text).split():  # NFKC has made "…" "..."
        token = _strip_closers(word.lstrip(_OPENERS), _CLOSERS.replace(".", ""))
        token = token[:-3] + "…" if token.endswith("...") else _strip_closers(token, _CLOSERS)
        if token.endswith("…") and "/" not in token.split("://")[-1]:
            continue  # "bank.example…": cut short, nothing to compare
        address = _address(token) if token else None
        if address is not None:
            found.append(address)
    return found


_MARKER_AT_END = re.compile(r"\[U\+[0-9A-F]{4}\]$")


def _strip_closers(token: str, closers: str) -> str:
    """A word without the punctuation after it (but not the "]" of a bidi marker)."""
    while token and token[-1] in closers and not _MARKER_AT_END.search(token):
        token = token[:-1]
    return token


def _same_address(text: str, url: str) -> bool:
    """Whether a link's text is its own target, as written or percent-encoded."""
    def clean(address: str) -> str:
        return unicodedata.normalize("NFKC", unquote(address.strip())).casefold().rstrip("/")

    return clean(_analysable(text)) == clean(url)


def _same_part(shown: str, target: str) -> bool:
    """Whether a path (or query, fragment) shown in the text is the target's: percent-encoding,
    case and a final slash do not count; a shown part ending in an ellipsis is a prefix."""
    def clean(part: str) -> str:
        return unicodedata.normalize("NFKC", unquote(part)).casefold().rstrip("/")

    for ellipsis in _ELLIPSES:
        if shown.endswith(ellipsis):
            return clean(target).startswith(clean(shown[: -len(ellipsis)]))
    return clean(shown) == clean(target)


def _host_matches(shown: str, target: str) -> bool:
    shown_key, target_key = _host_key(shown), _host_key(target)
    return bool(shown_key) and (target_key == shown_key or target_key.endswith("." + shown_key))


# -- the check -----------------------------------------------------------------------------

TEXT_SHOWS_OTHER_ADDRESS = "text-shows-other-address"
INTERNATIONAL_HOST = "international-host"
MIXED_SCRIPTS = "mixed-scripts"
USER_INFO = "user-info"
UNUSUAL_HOST = "unusual-host"


@dataclass(frozen=True)
class LinkCheck:
    """What Cairn found about one link: its target, its host in both forms, and why it asks
    before opening (``reasons`` empty: it opens on one click)."""

    url: str
    text: str
    scheme: str = ""
    host: str = ""  # as it reads (xn-- decoded), bidi controls and marks as markers
    host_ascii: str = ""  # as it is looked up (punycode)
    user_info: str = ""  # what comes before "@" in the target, if anything
    shown: tuple[str, ...] = ()  # addresses the text shows that are not the target
    scripts: tuple[str, ...] = ()  # the host's scripts, when it mixes them
    lookalike: str = ""  # the ASCII name the host imitates
    reasons: tuple[str, ...] = field(default=())

    @property
    def asks(self) -> bool:
        """Whether to ask before opening."""
        return bool(self.reasons)


def _target_parts(url: str) -> tuple[str, str, str, SplitResult | None, list[str]]:
    """(scheme, host, user info, parts, e-mail addresses) of a link target."""
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    if scheme == "mailto":
        addresses = [unquote(a).strip() for a in url.split(":", 1)[1].split("?")[0].split(",")]
        hosts = [a.rsplit("@", 1)[1] for a in addresses if "@" in a]
        return scheme, hosts[0] if hosts else "", "", None, addresses
    try:
        parts = urlsplit(url.strip())
        host = unquote(parts.hostname or "")  # browsers decode escapes in a host
    except ValueError:
        return scheme, "", "", None, []
    user_info = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return scheme, host, user_info, parts, []


def _shows_other(address: _Address, host: str, parts: SplitResult | None,
                 emails: list[str]) -> bool:
    """Whether an address in the text is not where the link goes."""
    if address.unparsable or not host:
        return True
    if address.email and emails:
        return not any(
            address.email.rsplit("@", 1)[0].casefold() == e.rsplit("@", 1)[0].casefold()
            and _host_key(address.host) == _host_key(e.rsplit("@", 1)[-1]) for e in emails)
    if not _host_matches(address.host, host):
        return True
    if parts is None or address.email:
        return False  # a web address shown for a mail link: the domain is what counts
    if address.path.strip("/") and not _same_part(address.path, parts.path):
        return True
    if address.query is not None and not _same_part(address.query, parts.query):
        return True
    return address.fragment is not None and not _same_part(address.fragment, parts.fragment)


def check_link(text: str, url: str, opened_host: str | None = None) -> LinkCheck:
    """Whether a link whose visible text is ``text`` and whose target is ``url`` should be
    confirmed before it opens, and what to show when asking (see the module docstring).

    ``opened_host``: the host the opener will contact, as it parses ``url`` (punycode);
    when it is not the host found here, the link asks and that host is the one shown."""
    scheme, host, user_info, parts, emails = _target_parts(url)
    reasons: list[str] = []
    shown = () if _same_address(text, url) else tuple(
        a.shown for a in _addresses(text) if _shows_other(a, host, parts, emails))
    if shown:
        reasons.append(TEXT_SHOWS_OTHER_ADDRESS)
    raw_host = (parts.hostname or "") if parts is not None else host
    host_ascii, readable = _host_forms(host, raw_host)
    ip = _ipv4(host)
    unusual = "%" in raw_host or bool(_FORBIDDEN_IN_HOST.search(host)) or (
        ip is not None and ip != host.rstrip("."))
    if opened_host is not None and opened_host.lower().rstrip(".") != host_ascii.rstrip("."):
        unusual = True
        host_ascii = opened_host.lower()
        readable = host_to_unicode(host_ascii)
    international = not host.isascii() or any(
        label.startswith("xn--") for label in host_ascii.split("."))
    if international:
        reasons.append(INTERNATIONAL_HOST)
    mixed = mixes_scripts(host)
    if mixed:
        reasons.append(MIXED_SCRIPTS)
    if user_info:
        reasons.append(USER_INFO)
    if unusual:
        reasons.append(UNUSUAL_HOST)
    return LinkCheck(
        url=url,
        text=text,
        scheme=scheme,
        host=neutralise_bidi(readable, marks=True),
        host_ascii=host_ascii,
        user_info=neutralise_bidi(unquote(user_info), marks=True),
        shown=shown,
        scripts=tuple(s.title() for s in host_scripts(host)) if mixed else (),
        lookalike=lookalike(host) if international else "",
        reasons=tuple(reasons),
    )


def _host_forms(host: str, raw_host: str) -> tuple[str, str]:
    """(as looked up, as it reads) for a target's decoded host; a host that decodes to
    characters no host may hold stays escaped, so "a%2Fb" is not shown as "a/b"."""
    if _FORBIDDEN_IN_HOST.search(host):
        return raw_host.lower(), raw_host.lower()
    ip = _ipv4(host)
    return ip or host_to_ascii(host), ip or host_to_unicode(host)


def check_link_texts(texts: list[str], url: str, opened_host: str | None = None) -> LinkCheck:
    """``check_link`` for a target that one or more links share: the first text that asks
    (a reply may link one target as "docs" and again as "bank.example.com")."""
    checks = [check_link(text, url, opened_host) for text in texts or [""]]
    return next((c for c in checks if c.asks), checks[0])


# -- showing a target ----------------------------------------------------------------------

_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _readable(part: str) -> str:
    """Percent-escapes decoded where they stand for letters, digits or marks of any script
    (so a Chinese path reads as Chinese); anything else (ASCII, spaces, controls, invisible
    characters) stays escaped, so decoding cannot change what the address means or hide."""
    def decode(match: re.Match[str]) -> str:
        raw = match.group()
        try:
            chars = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return raw
        out = []
        for char in chars:
            if not char.isascii() and unicodedata.category(char)[0] in "LMN":
                out.append(char)
            else:
                out.append("".join(f"%{b:02X}" for b in char.encode("utf-8")))
        return "".join(out)

    return _PERCENT_RUN.sub(decode, part)


def _visible(text: str) -> str:
    """Characters that would be invisible, reorder, or be read as markup, escaped."""
    text = neutralise_bidi(text, marks=True)
    return "".join(
        f"%{ord(c):02X}" if c in "<>\"" or (ord(c) < 0x80 and not c.isprintable())
        else f"[U+{ord(c):04X}]" if not c.isascii() and unicodedata.category(c)[0] in "CZ"
        else c
        for c in text)


def display_url(url: str, host_ascii: str | None = None) -> str:
    """A target as one line that cannot be disguised: the host as it is looked up
    (punycode), the rest with readable letters decoded, and nothing invisible, reordering or
    markup-like. For the status line and the tooltip. ``host_ascii``: the host to show (the
    one the opener contacts, when it differs from Cairn's reading)."""
    scheme, host, _, parts, _ = _target_parts(url)
    if parts is None or not host:
        return _visible(url.strip())
    user_info, at, hostport = parts.netloc.rpartition("@")
    if not hostport.startswith("["):  # an IPv6 literal stays as it is
        _, colon, port = hostport.partition(":")
        hostport = (host_ascii or _host_forms(host, parts.hostname or "")[0]) + colon + port
    rest = _readable(parts.path)
    if parts.query or url.rstrip().endswith("?"):
        rest += "?" + _readable(parts.query)
    if parts.fragment:
        rest += "#" + _readable(parts.fragment)
    return _visible(f"{parts.scheme}://{user_info}{at}{hostport}{rest}")


def describe_target(url: str) -> str:
    """The status line and tooltip text for a link: ``display_url``, and the host as it
    reads after it when that differs (an internationalised name)."""
    shown = display_url(url)
    _, host, _, parts, _ = _target_parts(url)
    looked_up, readable = _host_forms(host, (parts.hostname or "") if parts else host)
    if host and readable.casefold() != looked_up.casefold():
        return f"{shown}  ({_visible(readable)})"
    return shown
