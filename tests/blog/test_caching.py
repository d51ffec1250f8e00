"""Caching that pays and never lies: post pages, feeds and sitemap served from the cache,
invalidated on the next request after the post or its discussion changes, per-reader
tokens fresh on every response (none, and no cookie, for a reader who only reads), a comment
never lost to a missing token, and 304s for repeat readers."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from blog.models import Post
from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(make_series, make_post):
    series = make_series(slug="models", planned_parts=2)
    return make_post(slug="cached", title="Cached post", series=series, part=1)


def tokens(html):
    return (
        re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', html).group(1),
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


def test_another_process_serves_the_page_from_the_shared_cache_without_rendering_it(
    post, django_assert_num_queries
):
    Client().get("/blog/cached/")
    caches["pages"].clear()  # what a fresh process (or another server) has in memory
    with django_assert_num_queries(1):
        response = Client().get("/blog/cached/")
    assert "Cached post" in response.content.decode()


def test_a_reader_who_only_reads_gets_no_cookie_and_an_empty_token(post):
    first = Client().get("/blog/cached/")  # renders the page and fills the cache
    response = Client().get("/blog/cached/")
    assert first.status_code == response.status_code == 200
    assert not first.cookies and not response.cookies
    assert "Cookie" in response["Vary"]  # a reader with cookies may get another page
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken" value=""' in html
    assert "\x00" not in html  # every hole filled


def test_a_reader_with_a_csrf_cookie_gets_a_token_for_it_and_a_fresh_timestamp(post):
    first, second = Client(), Client()
    for reader in (first, second):
        reader.get("/blog/comments/token/")
    html_one = first.get("/blog/cached/").content.decode()
    html_two = second.get("/blog/cached/").content.decode()
    assert tokens(html_one)[0] and tokens(html_two)[0]
    assert tokens(html_one)[0] != tokens(html_two)[0]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert "\x00" not in html_one and "\x00" not in html_two  # every hole filled


def comment_fields(csrf, timestamp, **extra):
    return {
        "csrfmiddlewaretoken": csrf,
        "timestamp": timestamp,
        "name": "Ann",
        "email": "ann@example.com",
        "body": "Posted from a cached page.",
        "website": "",
        "homepage": "",
        **extra,
    }


def test_a_comment_posted_from_a_cached_page_with_the_fetched_token_is_accepted(post, settings):
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    settings.COMMENTS_MODERATION = "none"
    Client().get("/blog/cached/")  # warms the cache
    reader = Client(enforce_csrf_checks=True)
    _, timestamp = tokens(reader.get("/blog/cached/").content.decode())
    token = reader.get("/blog/comments/token/")  # what the page's script does
    assert token.status_code == 200 and "no-store" in token["Cache-Control"]
    response = reader.post(
        "/blog/cached/comments/", comment_fields(token.json()["token"], timestamp)
    )
    assert response.status_code == 302
    assert "Posted from a cached page." in Client().get("/blog/cached/").content.decode()


def test_a_returning_readers_token_in_the_cached_page_is_accepted(post, settings):
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    settings.COMMENTS_MODERATION = "none"
    reader = Client(enforce_csrf_checks=True)
    reader.get("/blog/comments/token/")  # an earlier visit left the cookie
    csrf, timestamp = tokens(reader.get("/blog/cached/").content.decode())
    response = reader.post("/blog/cached/comments/", comment_fields(csrf, timestamp))
    assert response.status_code == 302


def test_without_script_a_comment_comes_back_whole_and_goes_through_when_sent_again(post, settings):
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    settings.COMMENTS_MODERATION = "none"
    reader = Client(enforce_csrf_checks=True)
    csrf, timestamp = tokens(reader.get("/blog/cached/").content.decode())
    assert csrf == ""
    refused = reader.post(
        "/blog/cached/comments/",
        comment_fields(csrf, timestamp, body="Typed <carefully> & kept."),
        headers={"origin": "http://testserver"},
    )
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "Please send it again" in html
    assert "Typed &lt;carefully&gt; &amp; kept." in html and 'value="Ann"' in html
    assert not Comment.objects.exists()
    fresh_csrf, fresh_timestamp = tokens(html)
    assert fresh_csrf and "csrftoken" in refused.cookies
    again = reader.post(
        "/blog/cached/comments/",
        comment_fields(fresh_csrf, fresh_timestamp, body="Typed <carefully> & kept."),
    )
    assert again.status_code == 302
    assert Comment.objects.get().body == "Typed <carefully> & kept."


def test_a_stale_token_also_brings_the_comment_back_whole(post, settings):
    reader = Client(enforce_csrf_checks=True)
    reader.get("/blog/comments/token/")
    _, timestamp = tokens(reader.get("/blog/cached/").content.decode())
    refused = reader.post("/blog/cached/comments/", comment_fields("x" * 64, timestamp))
    assert refused.status_code == 403
    assert "Please send it again" in refused.content.decode()
    assert "Posted from a cached page." in refused.content.decode()


def test_a_forged_comment_from_another_site_gets_a_plain_refusal(post):
    forger = Client(enforce_csrf_checks=True)
    _, timestamp = tokens(forger.get("/blog/cached/").content.decode())
    refused = forger.post(
        "/blog/cached/comments/",
        comment_fields("", timestamp, body="Forged words"),
        headers={"origin": "https://evil.example"},
    )
    assert refused.status_code == 403
    assert "Forged words" not in refused.content.decode()
    assert "Leave a comment!" not in refused.content.decode()
    assert not Comment.objects.exists()


def test_other_forms_without_a_token_get_a_plain_refusal(post):
    response = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "x"}, headers={"origin": "http://testserver"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


def test_a_malformed_comment_body_without_a_token_is_a_client_error(post):
    response = Client(enforce_csrf_checks=True).generic(
        "POST",
        "/blog/cached/comments/",
        b"--x\r\nbroken",
        content_type="multipart/form-data; boundary=x",
    )
    assert 400 <= response.status_code < 500


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
    _, timestamp = tokens(commenter.get("/blog/cached/").content.decode())
    commenter.post(
        "/blog/cached/comments/",
        comment_fields(
            "", timestamp, name="Remembered Rita", email="rita@example.com", remember="on"
        ),
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
    sitemaps = ("/sitemap.xml", "/sitemap-posts.xml", "/sitemap-tags.xml")
    for url in ("/blog/feed/", "/blog/atom/", *sitemaps, "/blog/cached/comments/feed/"):
        client.get(url)
        with django_assert_max_num_queries(1):
            assert client.get(url).status_code == 200
    make_post(slug="newest", title="Brand new post")
    for url in ("/blog/feed/", "/blog/atom/", "/sitemap-posts.xml"):
        assert "newest" in client.get(url).content.decode(), url


def test_text_that_looks_like_the_caches_placeholders_is_shown_as_written(post, make_comment):
    body = 'Literally: %%csrf-token%% %%form-timestamp%% name="timestamp" value="kept"'
    post.body_markdown = body
    post.save()
    make_comment(post=post, body=body, status="approved")
    for reader in (Client(), Client()):  # the first renders the page, the second is cached
        html = reader.get("/blog/cached/").content.decode()
        assert html.count("Literally: %%csrf-token%% %%form-timestamp%%") == 2
        assert (
            html.count('name="timestamp" value="kept"')
            + html.count("name=&quot;timestamp&quot; value=&quot;kept&quot;")
            == 2
        )


def test_a_scheduled_post_goes_live_when_its_time_comes_without_a_save(post, make_post):
    scheduled = make_post(slug="scheduled", published_at=timezone.now() + timedelta(hours=1))
    reader = Client()
    assert reader.get("/blog/scheduled/").status_code == 404
    # Time passing, as far as the post can tell: no save, so no version moves.
    Post.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert reader.get("/blog/scheduled/").status_code == 200
