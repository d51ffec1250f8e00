"""What in a comment's text makes it suspect, read by `comments.moderation`'s rules: the links
readers could follow, and the block list's terms. Plain functions of the text.
"""

import re
from html import unescape

from django.utils.html import strip_tags

from comments.markdown import render_comment_markdown
from comments.models import BlockedTerm

# A link in text: an absolute URL, a bare "www." or a protocol-relative "//host/…" (which
# browsers and mail clients follow as readily as the others).
LINK = re.compile(r"https?://|\bwww\.|(?<![\w:/])//[^\s/]", re.IGNORECASE)
ANCHOR = re.compile(r"<a\s[^>]*\bhref=[^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)


def blocked_term_in(*texts: str) -> str:
    text = "\n".join(texts)
    for term in BlockedTerm.objects.all():
        if term.pattern().search(text):
            return term.phrase
    return ""


def count_links(body: str, *texts: str) -> int:
    """The links readers can follow: those of the rendered comment (what they can click),
    plus those written out in what it shows as text and in the other plain `texts`."""
    rendered = render_comment_markdown(body)
    anchors = len(ANCHOR.findall(rendered))
    # The anchors' own text is left out, so a link written as its address counts once.
    shown = unescape(strip_tags(ANCHOR.sub(" ", rendered)))
    return anchors + sum(len(LINK.findall(text)) for text in (shown, *texts))
