"""Every payload of the XSS corpus, through every field a visitor can write, comes out inert.

`tests/comments/test_comments_xss.py` runs the corpus through the comment Markdown and shares a
request between batches of payloads; here each payload travels alone, on each path a visitor's text
can take back into a page:

- the comment form refused (an invalid email), which shows name, body and website back;
- the comment form on a post whose comments are closed, which shows the body back in a <pre>;
- approved comments on the post page and in the post's comment feed;
- the recommendation form, posted with the payload in every field.

A payload that holds any of < > " ' must never come back verbatim: escaping changes every one
of them. The checks are shown to fail on unescaped output at the end of the file.
"""

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import escape

from comments.forms import issue_timestamp
from comments.markdown import COMMENT_TAGS
from tests.support.shared_data import RECOMMENDATION_FIELDS
from tests.support.xss import (
    SAFE_SCHEMES,
    approved_comment_holding,
    assert_inert,
    assert_not_verbatim,
    load_numbered_payloads,
    url_scheme,
)

pytestmark = pytest.mark.django_db

NUMBERED = load_numbered_payloads()
PAYLOADS = [payload for _, payload in NUMBERED]
CORPUS = pytest.mark.parametrize(
    "payload", PAYLOADS, ids=[f"line{number}" for number, _ in NUMBERED]
)
BATCH = 50  # the comment feed holds the latest 50 comments; a comment page shows 50 too
BATCHES = pytest.mark.parametrize("start", range(0, len(PAYLOADS), BATCH), ids=lambda n: f"from{n}")
ATOM = "{http://www.w3.org/2005/Atom}"
COMMENT_BODY = re.compile(r'<div class="comment-body">(.*?)</div>', re.DOTALL)
RECOMMEND = reverse("comparisons:recommend")


@pytest.fixture
def commentable_post(make_post, relaxed_comment_limits):
    return make_post(slug="commentable")


# --- The comment form, refused ----------------------------------------------------------------


@CORPUS
def test_a_refused_comment_shows_every_payload_back_escaped(client, commentable_post, payload):
    post = commentable_post
    response = client.post(
        reverse("comments:create", args=[post.slug]),
        {
            "name": payload,
            "email": "not-an-email",
            "body": payload,
            "website": payload,
            "timestamp": issue_timestamp(post.pk),  # the token the page holds
            "homepage": "",
            "parent": "",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address" in html
    # What was typed is kept (escaped), so the payload really went back into the page.
    assert f'value="{escape(payload)}"' in html
    assert_not_verbatim(html, payload)


@BATCHES
def test_a_comment_on_a_closed_post_shows_its_text_back_escaped(client, make_post, start):
    """Comments closed: the refused body is shown in a <pre> so its author can keep a copy."""
    post = make_post(comments_policy="closed")
    payloads = PAYLOADS[start : start + BATCH]
    response = client.post(
        reverse("comments:create", args=[post.slug]),
        {"name": "x", "email": "x@example.com", "body": "\n\n".join(payloads)},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert '<pre class="comment-copy' in html
    for payload in payloads:
        assert_not_verbatim(html, payload)


# --- Approved comments: the post page and the comment feed ----------------------------------


@BATCHES
def test_approved_comments_holding_the_corpus_are_inert_on_the_page_and_in_the_feed(
    client, make_post, start
):
    post = make_post()
    payloads = PAYLOADS[start : start + BATCH]
    comments = [approved_comment_holding(post, payload) for payload in payloads]

    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    bodies = COMMENT_BODY.findall(html)
    assert len(bodies) == len(comments)  # every comment is on this one page
    for body, comment in zip(bodies, comments, strict=True):
        assert body == comment.body_html
        assert_inert(body, comment.body, COMMENT_TAGS)
    # Around the comment bodies, names and websites are escaped by the template: none of
    # < > " ' survives. Inside a body (sanitised HTML) a quote in text is plain text and is
    # left as it is by the serialiser, so there only < and > must never come back raw.
    around_bodies = COMMENT_BODY.sub("", html)
    for comment in comments:
        assert f">{escape(comment.name)}<" in html  # the name is shown, escaped
        if comment.website:
            assert f'href="{escape(comment.website)}"' in html
        assert_not_verbatim(around_bodies, comment.body)
        if set("<>") & set(comment.body):
            assert comment.body not in comment.body_html

    feed = client.get(reverse("comments:feed", args=[post.slug]))
    assert feed.status_code == 200
    root = ElementTree.fromstring(feed.content)  # well-formed XML, or this raises
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(comments)
    by_guid = {f"comment-{comment.pk}": comment for comment in comments}
    for entry in entries:
        comment = by_guid[entry.findtext(f"{ATOM}id")]
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == comment.name
        assert_inert(entry.findtext(f"{ATOM}summary"), comment.body, COMMENT_TAGS)
        uri = entry.findtext(f"{ATOM}author/{ATOM}uri")
        assert uri == (iri_to_uri(comment.website) if comment.website else None)
        assert uri is None or url_scheme(uri) in SAFE_SCHEMES


# --- The recommendation form ------------------------------------------------------------------


@CORPUS
def test_the_recommendation_form_shows_every_payload_back_escaped(client, payload):
    answers = dict.fromkeys(RECOMMENDATION_FIELDS, payload)

    posted = client.post(RECOMMEND, answers)
    assert posted.status_code == 200  # the form again, with its errors
    html = posted.content.decode()
    assert "is-invalid" in html
    assert f'value="{escape(payload)}"' in html  # the employees field kept what was typed
    assert_not_verbatim(html, payload)
