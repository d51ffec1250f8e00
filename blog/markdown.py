"""The Markdown pipeline for posts: Python-Markdown, then nh3 with an explicit allowlist.

Used by `Post.save()` (render once, store the HTML) and by the admin preview. Requests never
run it. Anything not on the allowlist (scripts, event handlers, style attributes, iframes,
`javascript:`/`data:` URLs) is removed, whatever the Markdown contains. An element the source
opens and never closes is closed at the end of its block first (`close_unclosed_blocks`), so an
unclosed `<style>` or `<script>` cannot take the rest of the post with it.
"""

import bisect
import math
import re
from dataclasses import dataclass

import markdown
import nh3

from blog.markdown_extensions import PostMarkup, allowed_value

WORDS_PER_MINUTE = 230

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "decoding"},
    "div": {"tabindex", "role", "aria-label"},  # a table's scrolling region, nothing else
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
    "div": {"footnote", "toc", "table-scroll"},
    "code": {f"language-{name}" for name in ("python", "bash", "shell", "text", "yaml", "sql")},
}
URL_SCHEMES = {"http", "https", "mailto"}
H1 = re.compile(r"<(/?)h1\b")
# Elements whose content an HTML parser reads as text up to their end tag, and the one that
# has none; block elements Python-Markdown passes through raw until their end tag.
RAW_TEXT = {
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
}  # fmt: skip
NEVER_ENDS = {"plaintext"}
CLOSED_BLOCKS = set(markdown.Markdown().block_level_elements) - RAW_TEXT - {"hr"}
# An HTML tag, which may run over lines but not over a blank one.
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>\n]|\n(?![ \t]*\n))*>?")
BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|\Z)")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
INDENTED_CODE = re.compile(r"^(?: {4}|\t)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\n[ \t]*\n)[^`]|(?!\1)`)+?\1", re.DOTALL)


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    reading_minutes: int


def _markdown():
    return markdown.Markdown(
        extensions=[
            *["toc", "tables", "fenced_code", "footnotes", "sane_lists", "abbr"],
            PostMarkup(),  # tables' scrolling regions, published images
        ],
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
        attribute_filter=allowed_value,  # an img src only to a published post image
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def reading_minutes(text: str) -> int:
    words = len(re.findall(r"\w+", text))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def close_unclosed_blocks(source: str) -> str:
    """The source with each HTML element it opens and never closes closed at the end of its
    own block (the next blank line).

    Python-Markdown passes an unclosed raw HTML block through to the end of the post, and the
    browser's (and nh3's) parser reads everything after an unclosed `<style>` or `<script>`
    as that element's text, which the sanitiser then removes with it: one missing end tag
    deleted the rest of the post. Closed here, the element still goes (nh3 removes it) and
    the rest renders. Code (fenced, indented, in backticks) is left as written.
    """
    visible = _mask_code(source)
    blank_lines = [blank.start() for blank in BLANK_LINE.finditer(visible)]
    closings = []  # (position, text to insert, length of source to replace)
    open_at = {}  # name: [end positions of its open tags not yet closed]
    never_closed = set()  # raw-text elements with no end tag after the last one searched
    position = 0
    while match := TAG.search(visible, position):
        closing, name, position = match.group(1), match.group(2).lower(), match.end()
        if name in NEVER_ENDS and not closing:
            closings.append((match.start(), "", match.end() - match.start()))
        elif name in RAW_TEXT and not closing:
            end = None
            if name not in never_closed:
                end = re.compile(rf"</{name}\b", re.IGNORECASE).search(visible, position)
            if end:
                position = end.end()
            else:
                never_closed.add(name)
                closings.append((_block_end(visible, blank_lines, position), f"</{name}>", 0))
        elif name in CLOSED_BLOCKS:
            if not closing:
                open_at.setdefault(name, []).append(position)
            elif open_at.get(name):
                open_at[name].pop()
    for name, ends in open_at.items():
        closings.extend((_block_end(visible, blank_lines, end), f"</{name}>", 0) for end in ends)
    for at, text, length in sorted(closings, reverse=True):
        source = source[:at] + text + source[at + length :]
    return source


def _block_end(text: str, blank_lines: list[int], position: int) -> int:
    """Where the block holding `position` ends: at the next blank line, or the text's end."""
    index = bisect.bisect_left(blank_lines, position)
    return blank_lines[index] if index < len(blank_lines) else len(text.rstrip())


def _mask_code(source: str) -> str:
    """The source with code blanked out (same length, line breaks kept): tags in code are text."""

    def blank(text):
        return re.sub(r"[^\n]", " ", text)

    masked, fence, after_blank = [], None, True
    for line in source.splitlines(keepends=True):
        opening = FENCE.match(line)
        if fence:
            masked.append(blank(line))
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            masked.append(blank(line))
        elif after_blank and INDENTED_CODE.match(line):
            masked.append(blank(line))
            continue  # an indented code block goes on while its lines are indented
        else:
            masked.append(line)
        after_blank = not line.strip()
    return CODE_SPAN.sub(lambda span: blank(span.group()), "".join(masked))


def to_html(md, source: str) -> str:
    """The HTML Python-Markdown makes of a post's source, before the sanitiser."""
    # The page title is the only h1, so a "#" heading in a post is demoted to h2. The
    # Markdown output is well-formed and sanitised right after, so a plain replace is safe.
    return H1.sub(r"<\1h2", md.convert(close_unclosed_blocks(source or "")))


def render(source: str) -> Rendered:
    md = _markdown()
    html = to_html(md, source)
    return Rendered(
        html=sanitize(html),
        toc_html=sanitize(md.toc) if md.toc_tokens else "",
        reading_minutes=reading_minutes(source or ""),
    )
