"""Between writes a process keeps the data versions it read (siteops.data_versions.stamp): a
cache hit then reads nothing from the database, and still the first request after any write,
or after a scheduled post's moment, gets the new page. (Inside a transaction nothing is kept:
the other tests, each inside one, read the versions every time.)"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from blog.models import Post

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_hit_between_writes_reads_nothing_and_a_write_shows_at_once(
    make_post, django_assert_max_num_queries
):
    make_post(slug="kept", title="As first written")
    reader = Client()
    for url in ["/blog/kept/", "/blog/", "/"]:
        assert "As first written" in reader.get(url).content.decode()
        with django_assert_max_num_queries(0, info=url):
            assert "As first written" in reader.get(url).content.decode()
    Post.objects.filter(slug="kept").update(title="Changed with update()")
    for url in ["/blog/kept/", "/blog/", "/"]:
        assert "Changed with update()" in reader.get(url).content.decode(), url


def test_a_post_scheduled_appears_at_its_moment_with_no_write(make_post, clock):
    make_post(slug="now", title="Out already")
    make_post(
        slug="later", title="Out in an hour", published_at=timezone.now() + timedelta(hours=1)
    )
    reader = Client()
    assert "Out in an hour" not in reader.get("/blog/").content.decode()
    assert reader.get("/blog/later/").status_code == 404
    clock.advance(3601)
    assert "Out in an hour" in reader.get("/blog/").content.decode()
    assert reader.get("/blog/later/").status_code == 200
