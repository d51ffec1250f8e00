"""The Markdown of comments: a small subset (paragraphs, emphasis, links, inline code),
rendered once when a comment is saved and sanitised with nh3 whatever Markdown produced.

It sits beside the posts' pipeline (blog.markdown), which allows much more (headings,
tables, footnotes) because only staff write posts.
"""

import re

import markdown
import nh3

# What a comment may contain once rendered: paragraphs, line breaks, emphasis, links and
# inline code. Everything else is stripped by nh3 whatever the Markdown produced.
COMMENT_TAGS = {"p", "br", "em", "strong", "a", "code"}
COMMENT_ATTRIBUTES = {"a": {"href", "title"}}  # never "rel": nh3 sets it (link_rel) itself
COMMENT_URL_SCHEMES = {"http", "https", "mailto"}
COMMENT_LINK_REL = "nofollow ugc noopener"

# Python-Markdown features a comment does not need. Raw HTML is switched off so that a reader
# who types "<b>" sees "<b>", rather than having it silently removed by the sanitiser.
_UNUSED_BLOCKS = ("hashheader", "setextheader", "hr", "olist", "ulist", "quote", "code")
_UNUSED_INLINES = ("html", "image_link", "image_reference", "short_image_ref")
_UNUSED_PREPROCESSORS = ("html_block",)
# Invisible control characters (all but tab and line breaks) are dropped on save: they mean
# nothing to a reader, and XML (the Atom feed) cannot carry them at all.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    return _CONTROL_CHARACTERS.sub("", text or "")


def render_comment_markdown(source: str) -> str:
    """The small Markdown subset of comments, as sanitised HTML."""
    md = markdown.Markdown(extensions=["nl2br"], output_format="html")
    for name in _UNUSED_BLOCKS:
        md.parser.blockprocessors.deregister(name, strict=False)
    for name in _UNUSED_INLINES:
        md.inlinePatterns.deregister(name, strict=False)
    for name in _UNUSED_PREPROCESSORS:
        md.preprocessors.deregister(name, strict=False)
    return nh3.clean(
        md.convert(source or ""),
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        url_schemes=COMMENT_URL_SCHEMES,
        link_rel=COMMENT_LINK_REL,
        strip_comments=True,
    )
