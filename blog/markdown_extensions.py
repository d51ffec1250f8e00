"""What blog.markdown adds to Python-Markdown for posts and pages, and the attribute values
its sanitiser lets through.

- Tables are wrapped in a scrolling region (`div.table-scroll`, static/css/blog-content.css)
  that a keyboard can reach (`tabindex="0"`) and a screen reader names ("Table: <its caption
  or first header>"): on a phone a wide table scrolls sideways inside it, not the page.
- Images written as `![alt](../images/chart.png)` (the path from content/posts/ to a file
  under content/images/) take the address sync_posts published the file at, under a name
  holding its content's hash, with its `width` and `height`; every image after the first is
  `loading="lazy"` and `decoding="async"` (blog.post_images).

`allowed_value` is the sanitiser's last word on attribute values: an image's `src` only ever
points at a published post image, and the region's attributes take only the values above.
"""

import re

from django.conf import settings
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX

from blog import post_images

# Python-Markdown's placeholders for stashed text (entities, raw HTML) inside a header cell.
_PLACEHOLDER = re.compile(f"{STX}[^{ETX}]*{ETX}")
_SEGMENT = r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*"
_PUBLISHED_NAME = rf"(?:{_SEGMENT}/)*{_SEGMENT}\.[0-9a-f]{{12}}\.(?:png|jpe?g|gif|webp)"
_FIXED_VALUES = {
    ("img", "loading"): {"lazy"},
    ("img", "decoding"): {"async"},
    ("div", "tabindex"): {"0"},
    ("div", "role"): {"region"},
}
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
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    region = parent.makeelement(
                        "div",
                        {
                            "class": "table-scroll",
                            "tabindex": "0",
                            "role": "region",
                            "aria-label": f"Table: {_table_name(child)}",
                        },
                    )
                    region.tail, child.tail = child.tail, None
                    parent.remove(child)
                    region.append(child)
                    parent.insert(index, region)


def _table_name(table):
    """The table's caption, or else its first header cell's text, or else "untitled"."""
    for tag in ("caption", "th"):
        cell = table.find(f".//{tag}")
        if cell is not None:
            text = " ".join(_PLACEHOLDER.sub("", "".join(cell.itertext())).split())
            if text:
                return text
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
