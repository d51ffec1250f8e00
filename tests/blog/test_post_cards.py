"""Post cards in the lists (the home page, articles, a tag, an author) show how many comments
readers can see on each post, linked to the post's comments, counted in the list's own query,
and the cached lists move when a comment readers can see changes, never for a held or spam
one."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from tests.support.pages import ok_html

pytestmark = pytest.mark.django_db

LISTS = ["/", "/blog/", "/blog/tag/costs/", "/blog/author/jim/"]


def card_of(page, slug):
    """The HTML of the card linking to /blog/<slug>/ in a list page."""
    cards = re.findall(r'<article class="(?:post-card|home-post).*?</article>', page, re.DOTALL)
    for card in cards:
        if f'href="/blog/{slug}/"' in card:
            return card
    raise AssertionError(f"no card for {slug}")


def test_a_card_shows_the_public_comments_and_links_to_them(make_post, make_comment):
    post = make_post(slug="counted", tags=["costs"])
    for _ in range(3):
        make_comment(post=post)
    make_comment(post=post, status=Comment.Status.PENDING)
    make_comment(post=post, status=Comment.Status.SPAM)
    make_comment(post=post, status=Comment.Status.REMOVED)
    for url in LISTS:
        card = card_of(ok_html(Client().get(url)), "counted")
        assert 'href="/blog/counted/#comments">3 comments</a>' in card, url


def test_a_reply_under_a_comment_no_longer_public_is_not_counted(make_post, make_comment):
    post = make_post(slug="threaded")
    parent = make_comment(post=post)
    make_comment(post=post, parent=parent)
    assert "2 comments" in card_of(ok_html(Client().get("/blog/")), "threaded")
    parent.status = Comment.Status.REMOVED
    parent.save()
    card = card_of(ok_html(Client().get("/blog/")), "threaded")
    assert "comment" not in card  # neither the parent nor its reply is public now


def test_one_comment_is_singular_and_none_shows_no_count(make_post, make_comment):
    make_comment(post=make_post(slug="one"))
    make_post(slug="none")
    page = ok_html(Client().get("/blog/"))
    assert ">1 comment</a>" in card_of(page, "one")
    assert "#comments" not in card_of(page, "none")


@pytest.mark.parametrize("url", LISTS)
def test_the_counts_cost_no_query_whatever_the_number_of_posts(url, make_post, make_comment):
    def queries_for_a_miss():
        # Every write above moved the content's version: this request renders the list.
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(url).status_code == 200
        return len(captured)

    for _ in range(2):
        make_comment(post=make_post(tags=["costs"]))
    few = queries_for_a_miss()
    for _ in range(6):
        post = make_post(tags=["costs"])
        make_comment(post=post)
        make_comment(post=post)
    assert queries_for_a_miss() == few


def test_a_comment_approved_shows_in_the_cached_lists_on_the_next_request(make_post, make_comment):
    post = make_post(slug="discussed", tags=["costs"])
    make_comment(post=post)
    reader = Client()
    for url in LISTS:
        assert "1 comment<" in card_of(ok_html(reader.get(url)), "discussed"), url
    held = make_comment(post=post, status=Comment.Status.PENDING)
    held.status = Comment.Status.APPROVED
    held.save()
    for url in LISTS:
        assert "2 comments" in card_of(ok_html(reader.get(url)), "discussed"), url


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM])
def test_a_held_or_spam_comment_moves_no_cached_list(
    status, make_post, make_comment, django_assert_max_num_queries
):
    post = make_post(slug="quiet", tags=["costs"])
    reader = Client()
    before = {url: reader.get(url)["ETag"] for url in LISTS}
    make_comment(post=post, status=status)
    for url, etag in before.items():
        with django_assert_max_num_queries(1, info=url):
            assert reader.get(url, headers={"if-none-match": etag}).status_code == 304, url
