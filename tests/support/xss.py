"""XSS payload corpus and the inertness checker shared by the XSS tests.

The XSS tests of the post Markdown pipeline (`tests/security/test_xss_corpus.py`), of comments
and of the recommendation form all run the same payloads (`tests/data/xss_payloads.txt`) through the
code under test and hand the resulting HTML to `assert_inert`.

`assert_inert` does not trust the sanitiser it checks: it re-parses the output with the stdlib
`html.parser.HTMLParser` and fails on any tag outside an explicit allowlist, any event-handler
(`on*`) or other dangerous attribute, and any URL attribute whose scheme is not http, https or
mailto (relative URLs and fragments are fine). The parser already HTML-unescapes attribute
values, as a browser does; before the scheme is read, every ASCII control character (tab and
newline included) is removed and surrounding whitespace is stripped, so `jav&#x09;ascript:` and
`" java\\tscript:"` count as `javascript:`. Comments, CDATA sections, declarations and
processing instructions are reported too: the sanitiser removes them, and the stdlib parser
ends some of them (`<!-->`, `--!>`) where a browser does not, so it cannot be trusted past one.
So is a raw `<` in text: serialisers escape it, and it starts a tag the stdlib parser cannot
read (a non-ASCII tag name) or one left open at the end of the fragment.

Two more checks for what the tests see: `assert_page_inert` looks over a whole page (the site's
own scripts from /static/ allowed) and `assert_not_verbatim` fails when a payload that holds a
character escaping changes comes back unescaped. The checks themselves are specified once, in
`tests/security/test_xss_checker.py`.
"""

import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

PAYLOADS_FILE = Path(__file__).resolve().parents[1] / "data" / "xss_payloads.txt"

DEFAULT_ALLOWED_TAGS = frozenset(
    {
        "p", "br", "em", "strong", "a", "code", "pre", "ul", "ol", "li",
        "h2", "h3", "h4", "h5", "h6", "blockquote",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td",
        "img", "hr", "del", "sup", "sub", "span", "div", "dl", "dt", "dd", "abbr",
    }
)  # fmt: skip
FORBIDDEN_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "action", "xlink:href"})
# Attributes a browser resolves as a URL (href and src first; the rest are legacy or rarer).
URL_ATTRIBUTES = frozenset(
    {"href", "src", "background", "poster", "data", "codebase", "dynsrc", "lowsrc", "cite"}
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "frame"}
SPECIAL = set("<>\"'")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def load_payloads(path: Path = PAYLOADS_FILE) -> list[str]:
    """The payloads, in file order: comments and blank lines skipped, `\\n` made a newline."""
    return [payload for _, payload in load_numbered_payloads(path)]


def load_numbered_payloads(path: Path = PAYLOADS_FILE) -> list[tuple[int, str]]:
    """Like `load_payloads`, each payload paired with its 1-based line number in the file."""
    # newline="" and split("\n"): only a real line feed ends a payload, never a stray \r or \f.
    with path.open(encoding="utf-8", newline="") as file:
        lines = file.read().split("\n")
    payloads = []
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        payloads.append((number, line.replace("\\n", "\n")))
    return payloads


def url_scheme(value: str) -> str | None:
    """The lowercased scheme a browser would see in an (already unescaped) URL, or None."""
    cleaned = _CONTROL_CHARACTERS.sub("", value).strip().lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


class _Inspector(HTMLParser):
    def __init__(self, allowed_tags: Iterable[str]):
        # Character references in text stay unconverted, so a raw "<" is told from "&lt;".
        super().__init__(convert_charrefs=False)
        self.allowed_tags = frozenset(allowed_tags)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.allowed_tags:
            self.problems.append(f"disallowed tag <{tag}>")
        for name, value in attrs:
            self._check_attribute(tag, name, value)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in self.allowed_tags:
            self.problems.append(f"disallowed end tag </{tag}>")

    def handle_data(self, data):
        # Serialisers escape "<" in text. A raw one starts a tag the stdlib parser cannot read
        # (a non-ASCII name such as `<\u0131mg>`) or one left open at the end of the fragment
        # (`<svg onload=alert(1)//`), which a browser completes with the page's next markup.
        if "<" in data:
            self.problems.append(f"unescaped '<' in text {data!r}")

    # Sanitised output never holds these, and the stdlib parser ends them where a browser does
    # not (`<!-->`, `--!>`, `<![CDATA[` outside SVG), so markup "inside" one could be live.
    def handle_comment(self, data):
        self.problems.append(f"comment <!--{data}-->")

    def handle_decl(self, decl):
        self.problems.append(f"declaration <!{decl}>")

    def unknown_decl(self, data):
        self.problems.append(f"CDATA section or unknown declaration <![{data}]>")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction <?{data}>")

    def _check_attribute(self, tag, name, value):
        shown = f"<{tag} {name}={value!r}>"
        if name.startswith("on"):
            self.problems.append(f"event handler attribute {shown}")
        elif name in FORBIDDEN_ATTRIBUTES:
            self.problems.append(f"forbidden attribute {shown}")
        if name in URL_ATTRIBUTES and value is not None:
            scheme = url_scheme(value)
            if scheme is not None and scheme not in SAFE_SCHEMES:
                self.problems.append(f"unsafe URL scheme {scheme!r} in {shown}")


def assert_inert(
    html: str, payload: str, allowed_tags: Iterable[str] = DEFAULT_ALLOWED_TAGS
) -> None:
    """Fail unless `html` (the output for `payload`) holds only allowlisted, inert markup."""
    inspector = _Inspector(allowed_tags)
    inspector.feed(html)
    inspector.close()
    if inspector.problems:
        problems = "\n".join(f"  - {problem}" for problem in inspector.problems)
        # Raised explicitly: this module is not assert-rewritten and must not vanish under -O.
        raise AssertionError(
            f"executable markup survived.\npayload: {payload!r}\n"
            f"problems:\n{problems}\noutput: {html!r}"
        )


# --- Field values for approved comments created straight in the database -----------------

_http_url = URLValidator(schemes=["http", "https"])


def is_http_url(value: str) -> bool:
    try:
        _http_url(value)
    except ValidationError:
        return False
    return len(value) <= 200


def website_for(payload: str) -> str:
    """The payload as a website when it is a valid http(s) URL, else inside one, else nothing.

    No payload of the corpus is a valid URL by itself, but about a fifth of them are once put
    in a URL's path (the validator allows < > " ' there), which is what reaches the page's href.
    """
    for candidate in (payload, f"https://example.com/{payload}"):
        if is_http_url(candidate):
            return candidate
    return ""


def approved_comment_holding(post, payload):
    """An approved comment carrying the payload in every field a commenter controls."""
    from comments.models import Comment

    return Comment.objects.create(
        post=post,
        name=payload[:100],  # the form allows no longer name
        email="reader@example.com",
        website=website_for(payload),
        body=payload,
        status=Comment.Status.APPROVED,
    )


class PageInspector(HTMLParser):
    """Anything in a whole page that could run; the site's own scripts come from /static/,
    and its JSON-LD blocks (`type="application/ld+json"`, which browsers never run) must hold
    JSON with no `<` in it, so no text inside them can close them."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self._data_block = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and (attributes.get("src") or "").startswith("/static/"):
            return
        if tag == "script" and attributes == {"type": "application/ld+json"}:
            self._data_block = ""
            return
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"{tag}[{name}]")
            is_url = name in URL_ATTRIBUTES | {"action", "xlink:href"} and value is not None
            if is_url and url_scheme(value) not in {None, *SAFE_SCHEMES}:
                self.problems.append(f"{tag}[{name}={value!r}]")

    def handle_data(self, data):
        if self._data_block is not None:
            self._data_block += data

    def handle_endtag(self, tag):
        if tag == "script" and self._data_block is not None:
            block, self._data_block = self._data_block, None
            try:
                json.loads(block)
            except ValueError:
                self.problems.append("<script type=application/ld+json> holding no JSON")
            if "<" in block:
                self.problems.append("<script type=application/ld+json> holding a '<'")


def assert_page_inert(page):
    inspector = PageInspector()
    inspector.feed(page)
    assert inspector.problems == []


def assert_not_verbatim(html: str, payload: str) -> None:
    if SPECIAL & set(payload):
        assert payload not in html, f"payload reflected unescaped: {payload!r}"
