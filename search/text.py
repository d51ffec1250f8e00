"""Text going into and coming out of the search index; pure functions, no database.

- A reader's query: `normal_form()` is the one spelling a search is addressed by (control
  characters removed, NFKC, casefolded, spaces collapsed), so the page cache holds one entry
  per search rather than one per way of typing it; `words()` is what is searched for: runs of
  letters and digits only, so nothing a reader types is ever read as query syntax by FTS5 or
  PostgreSQL (quotes, `*`, `NEAR(`, `-`, `:`, column filters, parentheses).
- A post's text: `plain_text()` of its rendered, sanitised HTML, for the index and its
  excerpts: excerpts are built from text, never from stored HTML.
- Excerpts: `marked()` turns a backend's excerpt, its matches between the private-use
  characters START and END, into HTML: every character escaped first, then only those two
  made into <mark>. Indexed text never holds them (`indexable()`), so no post can forge one.
"""

import re
import unicodedata
from html import escape
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe

from siteops.text import without_control_characters

# Longer searches are refused with a polite word; no one types a 200-character search.
MAX_QUERY_LENGTH = 200
# Each word is one more term for the index to intersect: a sentence is plenty.
MAX_WORDS = 16
START, END = "\ue000", "\ue001"
# Those two, and the two search.backends reads angle brackets as on PostgreSQL.
_MARKERS = re.compile("[\ue000-\ue003]")
_MARKED = re.compile(f"{START}([^{START}{END}]*){END}")
_WORD = re.compile(r"\w+")


def normal_form(query: str) -> str:
    """The canonical spelling of a search: what the page's address and its cache key hold."""
    text = unicodedata.normalize("NFKC", without_control_characters(query))
    return " ".join(_MARKERS.sub("", text).casefold().split())


def words(query: str) -> list[str]:
    """The words of a search, in order, each once: letters, digits and underscores only."""
    return list(dict.fromkeys(_WORD.findall(normal_form(query))))[:MAX_WORDS]


def fts5_query(found: list[str]) -> str:
    """An FTS5 MATCH expression requiring every word: each one a quoted string, which FTS5
    reads as plain text whatever it holds (and a word holds no quote)."""
    return " ".join(f'"{word}"' for word in found)


def indexable(text: str) -> str:
    """Text as the index stores it: no control characters, no excerpt markers, spaces
    collapsed."""
    return " ".join(_MARKERS.sub("", without_control_characters(text)).split())


# Elements whose end separates words (so "<li>one</li><li>two</li>" is not "onetwo").
_BLOCKS = {
    *("address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt"),
    *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr"),
    *("li", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"),
}
# Elements whose text is not prose: scripts and styles (the sanitiser drops them anyway), and
# the Markdown pipeline's own links: a heading's "#", a footnote's number and its way back.
_SKIPPED = {"script", "style", "template"}
_SKIPPED_CLASSES = {"headerlink", "footnote-ref", "footnote-backref"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = []  # the open elements being skipped, innermost last

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if self.skipping or tag in _SKIPPED or classes & _SKIPPED_CLASSES:
            self.skipping.append(tag)
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS and not self.skipping:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.skipping:
            if tag in self.skipping:
                del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag) :]
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """The words a reader sees in `html`, as one line of text (entities decoded)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return indexable("".join(collector.parts))


def marked(excerpt: str) -> SafeString:
    """An excerpt as HTML: its text escaped, its matches in <mark>; any marker left unpaired
    (an excerpt cut between the two) dropped."""
    html = _MARKED.sub(r"<mark>\1</mark>", escape(excerpt, quote=True))
    return mark_safe(_MARKERS.sub("", html))  # escaped just above


def marks_in(excerpt: str) -> int:
    """How many matches an excerpt shows."""
    return excerpt.count(START)
