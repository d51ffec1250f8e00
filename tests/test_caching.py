"""Caching that pays and never lies: post pages, feeds and sitemap served from the cache,
invalidated on the next request after the post or its discussion changes, per-reader
tokens fresh on every response, and 304s for repeat readers."""

import re

import pytest
from django.test import Client

from blog.models import Comment, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(make_series, make_post):
    series = make_series(slug="models", planned_parts=2)
    return make_post(slug="cached", title="Cached post", series=series, part=1)


def tokens(html):
    return (
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
        re.search(r'name="timestamp" value="([^"]+)"', html).group(1),
    )


def test_a_repeat_view_of_a_post_is_served_from_the_cache_in_one_query(
    client, post, django_assert_num_queries
):
    first = client.get("/blog/cached/")
    assert first.status_code == 200
    with django_assert_num_queries(1):
        again = Client().get("/blog/cached/")
    assert again.status_code == 200
    assert "Cached post" in again.content.decode()


def test_every_reader_gets_their_own_csrf_token_and_form_timestamp(client, post):
    first, second = Client(), Client()
    html_one = first.get("/blog/cached/").content.decode()
    html_two = second.get("/blog/cached/").content.decode()
    assert tokens(html_one)[0] != tokens(html_two)[0]
    assert "%%" not in html_one and "%%" not in html_two
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_a_comment_posted_from_a_cached_page_is_accepted(post, settings):
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    settings.COMMENTS_MODERATION = "none"
    Client().get("/blog/cached/")  # warms the cache
    reader = Client(enforce_csrf_checks=True)
    csrf, timestamp = tokens(reader.get("/blog/cached/").content.decode())
    response = reader.post(
        "/blog/cached/comments/",
        {
            "csrfmiddlewaretoken": csrf,
            "timestamp": timestamp,
            "name": "Ann",
            "email": "ann@example.com",
            "body": "Posted from a cached page.",
            "website": "",
            "homepage": "",
        },
    )
    assert response.status_code == 302
    assert "Posted from a cached page." in Client().get("/blog/cached/").content.decode()


def test_a_newly_approved_comment_is_visible_on_the_next_request(post, make_comment):
    comment = make_comment(post=post, body="Waiting for a moderator.", status="pending")
    reader = Client()
    assert "Waiting for a moderator." not in reader.get("/blog/cached/").content.decode()
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)  # bulk action
    assert "Waiting for a moderator." in reader.get("/blog/cached/").content.decode()
    Comment.objects.filter(pk=comment.pk).delete()
    assert "Waiting for a moderator." not in reader.get("/blog/cached/").content.decode()


def test_an_edited_post_is_visible_on_the_next_request(post):
    reader = Client()
    reader.get("/blog/cached/")
    post.body_markdown = "Freshly edited words."
    post.save()
    assert "Freshly edited words." in reader.get("/blog/cached/").content.decode()


def test_a_new_part_appears_in_the_series_navigation_of_cached_parts(post, make_post):
    reader = Client()
    assert "Part 2: coming soon" in reader.get("/blog/cached/").content.decode()
    make_post(slug="second", title="The second part", series=post.series, part=2)
    assert "The second part" in reader.get("/blog/cached/").content.decode()


def test_an_unpublished_post_leaves_the_cache_at_once(post):
    reader = Client()
    reader.get("/blog/cached/")
    post.status = Post.Status.DRAFT
    post.save()
    assert reader.get("/blog/cached/").status_code == 404


def test_a_reader_with_remembered_details_gets_a_personal_uncached_page(post, settings):
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    Client().get("/blog/cached/")
    commenter = Client()
    csrf, timestamp = tokens(commenter.get("/blog/cached/").content.decode())
    commenter.post(
        "/blog/cached/comments/",
        {
            "csrfmiddlewaretoken": csrf,
            "timestamp": timestamp,
            "name": "Remembered Rita",
            "email": "rita@example.com",
            "body": "Remember me.",
            "website": "",
            "homepage": "",
            "remember": "on",
        },
    )
    response = commenter.get("/blog/cached/")
    assert 'value="Remembered Rita"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert (
        "Remembered Rita"
        not in Client().get("/blog/cached/").content.decode().split("Leave a comment!")[1]
    )


def test_a_repeat_reader_gets_a_304_until_something_changes(post, make_comment):
    reader = Client()
    first = reader.get("/blog/cached/")
    etag = first["ETag"]
    assert reader.get("/blog/cached/", headers={"if-none-match": etag}).status_code == 304
    make_comment(post=post, body="A new approved comment.", status="approved")
    changed = reader.get("/blog/cached/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_feeds_and_sitemap_are_cached_and_follow_new_posts(
    client, post, make_post, django_assert_max_num_queries
):
    for url in ("/blog/feed/", "/blog/atom/", "/sitemap.xml", "/blog/cached/comments/feed/"):
        client.get(url)
        with django_assert_max_num_queries(1):
            assert client.get(url).status_code == 200
    make_post(slug="newest", title="Brand new post")
    for url in ("/blog/feed/", "/blog/atom/", "/sitemap.xml"):
        assert "newest" in client.get(url).content.decode(), url
