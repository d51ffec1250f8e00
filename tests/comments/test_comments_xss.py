"""Hostile input: a corpus of XSS payloads in every field must come out inert on every page
that shows it, and no input of any kind (fuzzed text, bad bytes, huge or repeated fields)
produces a server error."""

import re
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comments.markdown import COMMENT_TAGS, render_comment_markdown
from comments.models import Comment
from tests.support.xss import (
    assert_inert,
    assert_page_inert,
    load_numbered_payloads,
)

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")

# A few payloads aimed at each field's own context (attribute values, URLs, Markdown links);
# the shared corpus (tests/data/xss_payloads.txt) goes through every field below as well.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "[click](  JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<http://example.com" onmouseover="alert(1)>',
    '[x](https://example.com "t\\" onmouseover=alert(1))',
    "`</code><script>alert(1)</script>`",
    'https://example.com/"><script>alert(1)</script>',
    "'';!--\"<XSS>=&{()}",
]
NUMBERED = load_numbered_payloads()
CORPUS = pytest.mark.parametrize(
    "payload", [p for _, p in NUMBERED], ids=[f"line{n}" for n, _ in NUMBERED]
)
ATOM = "{http://www.w3.org/2005/Atom}"
BATCH = 25


@pytest.mark.parametrize("field", ["name", "email", "body", "website"])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_payloads_come_out_inert(client, settings, make_post, comment_form, field, payload):
    settings.COMMENTS_MODERATION = "none"
    post = make_post()
    response = client.post(
        reverse("comments:create", args=[post.slug]), comment_form(post, **{field: payload})
    )
    assert response.status_code in {302, 400}
    assert_page_inert(response.content.decode())
    if response.status_code == 302:
        comment = Comment.objects.get()
        for url in (
            post.get_absolute_url(),
            reverse("comments:edit", args=[post.slug, comment.pk]),
        ):
            assert_page_inert(client.get(url).content.decode())
        feed = client.get(reverse("comments:feed", args=[post.slug])).content
        for entry in ElementTree.fromstring(feed).iter(f"{ATOM}entry"):
            assert_inert(entry.findtext(f"{ATOM}summary"), payload, COMMENT_TAGS)


@CORPUS
def test_the_corpus_is_inert_after_the_comment_markdown(payload):
    for source in (payload, f"Some text\n\n{payload}\n\nMore text"):
        assert_inert(render_comment_markdown(source), payload, COMMENT_TAGS)


@pytest.mark.parametrize("batch", range(0, len(NUMBERED), BATCH), ids=lambda n: f"from{n}")
def test_the_corpus_in_every_field_comes_out_inert(client, settings, make_post, batch):
    """Stored (name and text) and refused (every field shown back), a batch at a time.

    Each payload went through the comment Markdown alone above; here the pages around it
    are checked, so several payloads share one request to keep the round trips few.
    """
    settings.COMMENTS_MODERATION = "none"
    post = make_post()
    page = client.get(post.get_absolute_url()).content.decode()
    token = re.search(r'name="timestamp" value="([^"]+)"', page).group(1)
    url = reverse("comments:create", args=[post.slug])
    payloads = "\n\n".join(payload for _, payload in NUMBERED[batch : batch + BATCH])
    stored = {"name": payloads[:100], "body": payloads, "email": "x@example.com"}
    assert client.post(url, {**stored, "timestamp": token}).status_code == 302
    assert_page_inert(client.get(post.get_absolute_url()).content.decode())
    every_field = dict.fromkeys(["name", "email", "website", "body"], payloads)
    refused = client.post(url, {**every_field, "timestamp": token})
    assert refused.status_code == 400
    assert_page_inert(refused.content.decode())


def test_payloads_are_escaped_in_the_admin(admin_client, make_comment):
    comment = make_comment(name="<script>alert(1)</script>", body="<img src=x onerror=alert(1)>")
    for url in (
        reverse("admin:comments_comment_changelist") + "?status=all",
        reverse("admin:comments_comment_change", args=[comment.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, escaped
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x onerror" not in page


text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            name: text
            for name in ("name", "email", "body", "website", "parent", "homepage", "remember")
        },
    ),
    keep_timestamp=st.booleans(),
)
def test_no_input_yields_a_server_error(make_post, comment_form, fields, keep_timestamp):
    post = make_post()
    data = {**comment_form(post), **fields} if keep_timestamp else fields
    response = Client().post(reverse("comments:create", args=[post.slug]), data)
    assert response.status_code in {302, 400, 429}


@pytest.mark.parametrize(
    "raw",
    [
        b"name=\xff\xfe&email=\xc3(&body=\x00\x00",
        b"name=a&name=b&email=a@b.co&email=x&body=1&body=2&timestamp=1&timestamp=2",
        b"%%%%%=%%&&&===",
        b"body=" + b"x" * 3_000_000,
    ],
    ids=["bad-utf8", "repeated", "garbage", "huge"],
)
def test_malformed_requests_are_answered_without_a_server_error(make_post, raw):
    post = make_post()
    response = Client().generic(
        "POST",
        reverse("comments:create", args=[post.slug]),
        raw,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in {400, 413}


@pytest.mark.parametrize("path", ["edit/", "delete/", ""])
def test_unknown_comments_are_not_found(client, make_post, path):
    post = make_post()
    assert client.get(f"/blog/{post.slug}/comments/999999/{path}").status_code == 404
    assert client.get(f"/blog/no-such-post/comments/1/{path}").status_code == 404
    assert client.post("/blog/no-such-post/comments/", {"name": "x"}).status_code == 404


def test_control_characters_never_break_the_feed(client, settings, make_post, comment_form):
    settings.COMMENTS_MODERATION = "none"
    post = make_post()
    data = comment_form(post, name="Ada\x07 Lovelace", body="A bell\x07, an escape\x1b[0m.")
    assert client.post(reverse("comments:create", args=[post.slug]), data).status_code == 302
    assert Comment.objects.get().body == "A bell, an escape[0m."
    # A row written without save() (a bulk load) still cannot break the feed.
    raw = Comment(post=post, name="Raw\x0b", email="r@example.com", body="x", status="approved")
    raw.body_html = "<p>\x01</p>"
    Comment.objects.bulk_create([raw])
    feed = client.get(reverse("comments:feed", args=[post.slug]))
    assert feed.status_code == 200
    entries = ElementTree.fromstring(feed.content).iter(f"{ATOM}entry")
    names = [entry.findtext(f"{ATOM}author/{ATOM}name") for entry in entries]
    assert sorted(names) == ["Ada Lovelace", "Raw"]
