"""Comment times say which time zone they are in: a reader elsewhere cannot otherwise tell
17:20 from their own 17:20. The page shows the zone's abbreviation, and the `<time>` element
carries the moment in ISO 8601 with its offset for machines."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from comments.models import Comment

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 12, 2, 17, 20, tzinfo=UTC)


@pytest.fixture
def comment_at_a_known_moment(make_post, make_comment):
    post = make_post(slug="timed")
    comment = make_comment(post=post, body="Posted at a known moment.")
    Comment.objects.filter(pk=comment.pk).update(created_at=MOMENT)
    return post


def time_element(html):
    match = re.search(r'<time datetime="([^"]+)">([^<]+)</time></a>', html)
    assert match, "no <time> in the comment's header"
    return match.groups()


def test_a_comment_time_shows_its_zone_and_carries_its_offset(comment_at_a_known_moment):
    html = Client().get("/blog/timed/").content.decode()
    assert time_element(html) == ("2026-12-02T17:20:00+00:00", "2 December 2026, 17:20 UTC")


def test_a_site_in_another_zone_shows_that_zone(settings, comment_at_a_known_moment):
    settings.TIME_ZONE = "Europe/Paris"
    html = Client().get("/blog/timed/").content.decode()
    assert time_element(html) == ("2026-12-02T18:20:00+01:00", "2 December 2026, 18:20 CET")


def test_the_post_date_carries_its_offset(make_post):
    make_post(slug="dated", published_at=MOMENT)
    html = Client().get("/blog/dated/").content.decode()
    assert '<time datetime="2026-12-02T17:20:00+00:00">2 December 2026</time>' in html
