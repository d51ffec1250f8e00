"""No stale page, ever: a cached post page and its ETag follow every input the page was built
from, including the ones no save records (time passing) and the writes that send no signal
(`update()`, `bulk_create`, tag edits)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from blog.models import Post, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def series_with_part_two_scheduled(make_series, make_post):
    series = make_series(slug="models", planned_parts=2)
    first = make_post(slug="part-one", title="Part one", series=series, part=1)
    second = make_post(
        slug="part-two",
        title="Part two, now out",
        series=series,
        part=2,
        published_at=timezone.now() + timedelta(hours=1),
    )
    return first, second


def revalidate(reader, url, etag):
    return reader.get(url, headers={"if-none-match": etag})


def test_a_part_made_due_by_update_shows_at_once_and_its_etag_moves(
    series_with_part_two_scheduled,
):
    _, second = series_with_part_two_scheduled
    reader = Client()
    first_view = reader.get("/blog/part-one/")
    assert "Part two, now out" not in first_view.content.decode()
    Post.objects.filter(pk=second.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    again = revalidate(reader, "/blog/part-one/", first_view["ETag"])
    assert again.status_code == 200
    assert "Part two, now out" in again.content.decode()
    assert again["ETag"] != first_view["ETag"]


def test_a_scheduled_part_appears_on_its_predecessor_when_its_time_comes(
    series_with_part_two_scheduled, clock
):
    reader = Client()
    first_view = reader.get("/blog/part-one/")
    assert revalidate(reader, "/blog/part-one/", first_view["ETag"]).status_code == 304
    clock.advance(3601)  # nothing saved: only time has passed
    again = revalidate(reader, "/blog/part-one/", first_view["ETag"])
    assert again.status_code == 200
    assert "Part two, now out" in again.content.decode()


def test_the_comment_form_goes_when_comments_close_by_age(make_post, settings, clock):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    make_post(slug="closing", published_at=timezone.now() - timedelta(days=30, seconds=-30))
    reader = Client()
    first_view = reader.get("/blog/closing/")
    assert "Leave a comment!" in first_view.content.decode()
    clock.advance(31)
    again = revalidate(reader, "/blog/closing/", first_view["ETag"])
    assert again.status_code == 200
    assert "Leave a comment!" not in again.content.decode()


@pytest.mark.parametrize("how", ["save", "update"])
def test_a_renamed_tag_shows_its_new_name_to_the_next_reader(make_post, how):
    make_post(slug="tagged", tags=["Managed services"])
    assert "Managed services" in Client().get("/blog/tagged/").content.decode()
    tag = Tag.objects.get(slug="managed-services")
    if how == "save":
        tag.name = "Managed IT"
        tag.save()
    else:
        Tag.objects.filter(pk=tag.pk).update(name="Managed IT")
    assert "Managed IT" in Client().get("/blog/tagged/").content.decode()


def test_a_tag_added_in_bulk_shows_on_the_next_request(make_post):
    post = make_post(slug="bulk")
    Client().get("/blog/bulk/")
    tag = Tag.objects.create(name="Costs", slug="costs")
    Post.tags.through.objects.bulk_create([Post.tags.through(post_id=post.pk, tag_id=tag.pk)])
    assert 'href="/blog/tag/costs/"' in Client().get("/blog/bulk/").content.decode()


def test_the_etag_is_the_same_for_the_same_page_and_moves_with_it(make_post):
    post = make_post(slug="steady")
    first, second = Client().get("/blog/steady/"), Client().get("/blog/steady/")
    assert first["ETag"] == second["ETag"]
    Post.objects.filter(pk=post.pk).update(title="A new title")
    third = Client().get("/blog/steady/")
    assert "A new title" in third.content.decode()
    assert third["ETag"] != first["ETag"]
