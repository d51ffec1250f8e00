"""The Markdown pipeline for posts: Python-Markdown, then nh3 with an explicit allowlist.

Used by `Post.save()` (render once, store the HTML) and by the admin preview. Requests never
run it. Anything not on the allowlist (scripts, event handlers, style attributes, iframes,
`javascript:`/`data:` URLs) is removed, whatever the Markdown contains.
"""

import math
import re
from dataclasses import dataclass

import markdown
import nh3

WORDS_PER_MINUTE = 230

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope"},
    "td": {"align"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "ol": {"start"},
}  # fmt: skip
# Classes are allowed per tag here, not as attributes above (ammonia insists on one or the other).
ALLOWED_CLASSES = {
    "a": {"headerlink", "footnote-ref", "footnote-backref"},
    "div": {"footnote", "toc"},
    "code": {f"language-{name}" for name in ("python", "bash", "shell", "text", "yaml", "sql")},
}
URL_SCHEMES = {"http", "https", "mailto"}
H1 = re.compile(r"<(/?)h1\b")


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    reading_minutes: int


def _markdown():
    return markdown.Markdown(
        extensions=["toc", "tables", "fenced_code", "footnotes", "sane_lists", "abbr"],
        extension_configs={
            "toc": {"permalink": "#", "permalink_title": "Link to this section"},
            "tables": {"use_align_attribute": True},
            # One back-link per citation of a note: a single arrow (U+FE0E keeps it a text
            # glyph, not an emoji), titled with the note it returns from. The extension adds
            # one more back-link for every further citation of the same note, so posts cite
            # each note once (tests/blog/test_articles.py) and never show a row of arrows.
            "footnotes": {
                "BACKLINK_TEXT": "&#8617;&#xFE0E;",
                "BACKLINK_TITLE": "Back to the text where note {} is cited",
            },
        },
        output_format="html",
    )


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def reading_minutes(text: str) -> int:
    words = len(re.findall(r"\w+", text))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def render(source: str) -> Rendered:
    md = _markdown()
    # The page title is the only h1, so a "#" heading in a post is demoted to h2. The
    # Markdown output is well-formed and sanitised right after, so a plain replace is safe.
    html = H1.sub(r"<\1h2", md.convert(source or ""))
    return Rendered(
        html=sanitize(html),
        toc_html=sanitize(md.toc) if md.toc_tokens else "",
        reading_minutes=reading_minutes(source or ""),
    )
