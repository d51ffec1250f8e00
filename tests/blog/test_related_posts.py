"""A post's page ends with up to three related posts: published ones sharing the most of its
tags, the newest first among equals, never itself nor a part of its own series (the series
navigation lists those); read in one query, and moved by a tag change or a new related post."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Post, Tag
from tests.support.pages import ok_html

pytestmark = pytest.mark.django_db


def related_on(slug):
    """The slugs the post page's related-posts list links to, in order."""
    page = ok_html(Client().get(f"/blog/{slug}/"))
    block = re.search(r'<aside class="related-posts.*?</aside>', page, re.DOTALL)
    if block is None:
        return []
    return re.findall(r'href="/blog/([^/"]+)/"', block.group())


def ago(hours):
    return timezone.now() - timedelta(hours=hours)


def test_the_posts_sharing_most_tags_come_first_then_the_newest(make_post):
    make_post(slug="reader", tags=["costs", "security", "contracts"])
    make_post(slug="one-old", tags=["costs"], published_at=ago(30))
    make_post(slug="two", tags=["costs", "security"], published_at=ago(50))
    make_post(slug="one-new", tags=["contracts"], published_at=ago(2))
    make_post(slug="three", tags=["costs", "security", "contracts"], published_at=ago(90))
    make_post(slug="one-oldest", tags=["security"], published_at=ago(100))
    make_post(slug="unrelated", tags=["compliance"], published_at=ago(1))
    assert related_on("reader") == ["three", "two", "one-new"]


def test_drafts_scheduled_posts_itself_and_its_series_parts_are_left_out(make_post, make_series):
    series = make_series(slug="guide")
    make_post(slug="part-one", series=series, part=1, tags=["costs"])
    make_post(slug="part-two", series=series, part=2, tags=["costs"])
    make_post(slug="a-draft", tags=["costs"], status=Post.Status.DRAFT)
    make_post(slug="later", tags=["costs"], published_at=timezone.now() + timedelta(days=1))
    make_post(slug="elsewhere", tags=["costs"], published_at=ago(5))
    assert related_on("part-one") == ["elsewhere"]


def test_a_post_with_no_tags_or_no_company_shows_no_related_list(make_post):
    make_post(slug="lonely")
    make_post(slug="alone", tags=["costs"])
    page = ok_html(Client().get("/blog/lonely/"))
    assert "related-posts" not in page
    assert related_on("alone") == []


def test_the_list_links_each_post_by_its_title(make_post):
    make_post(slug="reader", tags=["costs"])
    make_post(slug="other", title="What a contract should say", tags=["costs"])
    page = ok_html(Client().get("/blog/reader/"))
    block = re.search(r'<aside class="related-posts.*?</aside>', page, re.DOTALL).group()
    assert '<a href="/blog/other/">What a contract should say</a>' in block
    assert 'aria-labelledby="related-posts-title"' in block


def test_the_related_posts_cost_one_query_whatever_their_number(make_post):
    def queries_for(slug):
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(f"/blog/{slug}/").status_code == 200
        return len(captured)

    make_post(slug="untagged")
    make_post(slug="reader", tags=["costs", "security"])
    untagged, alone = queries_for("untagged"), queries_for("reader")
    for _ in range(10):
        make_post(tags=["costs", "security"])
    assert alone == untagged + 1
    assert queries_for("reader") == alone
    assert len(related_on("reader")) == 3


def test_the_cached_post_page_moves_with_a_new_related_post_and_a_tag_change(make_post):
    reader_post = make_post(slug="reader", tags=["costs"])
    make_post(slug="old-one", tags=["costs"], published_at=ago(10))
    assert related_on("reader") == ["old-one"]
    make_post(slug="new-one", tags=["costs"], published_at=ago(1))
    assert related_on("reader") == ["new-one", "old-one"]
    reader_post.tags.set([Tag.objects.get_or_create_by_name("security")[0]])
    assert related_on("reader") == []
