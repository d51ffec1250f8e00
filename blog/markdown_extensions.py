"""What blog.markdown adds to Python-Markdown for posts and pages, and the attribute values
its sanitiser lets through.

- Tables are wrapped in a scrolling region (`div.table-scroll`, static/css/blog-content.css)
  that a keyboard can reach (`tabindex="0"`) and a screen reader names ("Table: <its caption,
  or the line leading into it, or the heading of its section, or its first header>", each
  name once): on a phone a wide table scrolls sideways inside it, not the page. An empty
  header cell (the corner of a table whose rows are headed too) becomes a data cell.
- Images written as `![alt](../images/chart.png)` (the path from content/posts/ to a file
  under content/images/) take the address sync_posts published the file at, under a name
  holding its content's hash, with its `width` and `height`; every image after the first is
  `loading="lazy"` and `decoding="async"` (blog.post_images).

`allowed_value` is the sanitiser's last word on attribute values: an image's `src` only ever
points at a published post image, and the region's attributes take only the values above.
"""

import re
from collections import Counter
from html import unescape

from django.conf import settings
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX

from blog import post_images

# Python-Markdown's placeholders for stashed text (entities, raw HTML) inside a header cell.
_PLACEHOLDER = re.compile(f"{STX}wzxhzdk:([0-9]+){ETX}")
_ANY_PLACEHOLDER = re.compile(f"{STX}[^{ETX}]*{ETX}")
_TAGS = re.compile(r"<[^>]*>")
_SEGMENT = r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*"
_PUBLISHED_NAME = rf"(?:{_SEGMENT}/)*{_SEGMENT}\.[0-9a-f]{{12}}\.(?:png|jpe?g|gif|webp)"
_FIXED_VALUES = {
    ("img", "loading"): {"lazy"},
    ("img", "decoding"): {"async"},
    ("div", "tabindex"): {"0"},
    ("div", "role"): {"region"},
}
# A paragraph this short ending with a colon, just before a table, is the table's title.
LEAD_IN_LENGTH = 120
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_DIGITS = re.compile(r"[1-9][0-9]{0,4}")


def _published_src():
    prefix = re.escape(settings.STATIC_URL + post_images.URL_FOLDER + "/")
    return re.compile(prefix + _PUBLISHED_NAME)


def allowed_value(tag, attribute, value):
    """nh3's attribute filter: the value kept, or None to remove the attribute."""
    if tag == "img" and attribute == "src":
        return value if _published_src().fullmatch(value) else None
    if tag == "img" and attribute in {"width", "height"}:
        return value if _DIGITS.fullmatch(value) else None
    allowed = _FIXED_VALUES.get((tag, attribute))
    if allowed is not None and value not in allowed:
        return None
    return value


class _TableRegions(Treeprocessor):
    def run(self, root):
        tables, heading = [], None
        for element in root.iter():  # in document order: a heading comes before its tables
            if element.tag in HEADINGS:
                heading = self._text_of(element)
            elif element.tag == "table":
                tables.append((element, heading))
        parents = {child: parent for parent in root.iter() for child in parent}
        names = Counter()
        for table, heading in tables:
            for cell in table.iter("th"):
                # An empty corner cell heads nothing: a header with no text is an error to
                # a screen reader (axe's empty-table-header), an empty data cell is not.
                if not self._text_of(cell) and len(cell) == 0:
                    cell.tag = "td"
            parent = parents[table]
            index = list(parent).index(table)
            lead_in = parent[index - 1] if index else None
            name = self._name(table, lead_in, heading)
            names[name] += 1
            if names[name] > 1:  # two regions of one name could not be told apart
                name = f"{name} ({names[name]})"
            region = parent.makeelement(
                "div",
                {
                    "class": "table-scroll",
                    "tabindex": "0",
                    "role": "region",
                    "aria-label": f"Table: {name}",
                },
            )
            region.tail, table.tail = table.tail, None
            parent.remove(table)
            region.append(table)
            parent.insert(index, region)

    def _text_of(self, element):
        """The element's text as a reader sees it: entities and inline HTML Python-Markdown
        stashed are read back (tags dropped), whitespace collapsed."""

        def stashed(match):
            index = int(match.group(1))
            blocks = self.md.htmlStash.rawHtmlBlocks
            raw = blocks[index] if index < len(blocks) else ""
            return unescape(_TAGS.sub("", str(raw)))

        text = _PLACEHOLDER.sub(stashed, "".join(element.itertext()))
        return " ".join(_ANY_PLACEHOLDER.sub("", text).split())

    def _name(self, table, lead_in, heading):
        """The table's caption, else the short paragraph just before it that leads into it
        ("The first year:"), else the heading of its section, else its first header cell
        with text, else "untitled"."""
        caption = table.find(".//caption")
        if caption is not None and self._text_of(caption):
            return self._text_of(caption)
        if lead_in is not None and lead_in.tag == "p":
            text = self._text_of(lead_in)
            if text.endswith(":") and len(text) <= LEAD_IN_LENGTH:
                return text.rstrip(":").strip()
        if heading:
            return heading
        for cell in table.iter("th"):
            if self._text_of(cell):
                return self._text_of(cell)
        return "untitled"


class _PublishedImages(Treeprocessor):
    def run(self, root):
        images = [image for image in root.iter("img")]
        for number, image in enumerate(images):
            published = post_images.published(image.get("src", ""))
            if published is None:
                continue  # the sanitiser removes an address that is not a published image
            image.set("src", published.url)
            image.set("width", str(published.width))
            image.set("height", str(published.height))
            if number:
                image.set("loading", "lazy")
                image.set("decoding", "async")


class PostMarkup(Extension):
    def extendMarkdown(self, md):  # Python-Markdown's name
        # After the inline patterns (priority 20) have made the images and cells' text.
        md.treeprocessors.register(_TableRegions(md), "table_regions", 15)
        md.treeprocessors.register(_PublishedImages(md), "published_images", 14)
