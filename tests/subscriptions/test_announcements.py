"""A new post emailed to its followers: a scheduled part emailed once when it goes live, one
email to an address following both the series and the site, nothing for posts already out
or unpublished; and the database queue's worker doing the same as the request would.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from blog.models import Post
from subscriptions.models import Announcement, Delivery, Subscription
from tests.support.following import (
    confirmation_path,
    confirmed,
    follow,
    go_live,
    mails_to,
    run_worker_check,
    schedule,
)

pytestmark = pytest.mark.django_db


# --- A part going live ----------------------------------------------------------------------------


def test_a_scheduled_part_is_emailed_once_when_it_goes_live(
    client, series, part_one, make_post, make_series
):
    by_series = confirmed(client, "series.reader@example.com", series)
    by_site = confirmed(client, "site.reader@example.com", series, choice="site")
    confirmed(client, "other.series@example.com", make_series(slug="other"))
    follow(client, "unconfirmed@example.com", series)
    mail.outbox.clear()
    part_two = schedule(
        make_post,
        slug="part-two",
        title="Part two: costs",
        series=series,
        part=2,
        summary="What each model costs a ten-person office.",
    )

    run_worker_check()
    assert not mail.outbox  # not live yet

    go_live(part_two)
    run_worker_check()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "series.reader@example.com",
        "site.reader@example.com",
    ]
    message = mails_to("series.reader@example.com")[0]
    assert (
        "Part two: costs" in message.subject
        and "Understanding IT service models" in message.subject
    )
    assert "What each model costs a ten-person office." in message.body
    assert "http://127.0.0.1:8000/blog/part-two/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'href="http://127.0.0.1:8000/blog/part-two/"' in html
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    assert {d.subscription for d in Delivery.objects.all()} == {by_series, by_site}

    mail.outbox.clear()
    run_worker_check()
    assert not mail.outbox  # once


def test_an_address_following_the_series_and_the_site_gets_one_email(
    client, series, part_one, make_post
):
    confirmed(client, "ada@example.com", series)
    Subscription.objects.update(confirmation_sent_at=None)
    confirmed(client, "ada@example.com", series, choice="site")
    make_post(slug="part-two", series=series, part=2)
    run_worker_check()
    assert len(mails_to("ada@example.com")) == 1


def test_posts_already_out_when_following_began_are_not_emailed(client, make_post):
    old = make_post(slug="old", published_at=timezone.now() - timedelta(days=30))
    Post.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=30))
    confirmed(client, "ada@example.com")
    run_worker_check()
    assert not mail.outbox
    assert Announcement.objects.get(post=old).skipped


def test_an_unpublished_post_is_not_announced_and_a_draft_made_public_is(client, make_post):
    confirmed(client, "ada@example.com")
    draft = make_post(slug="draft", status=Post.Status.DRAFT)
    run_worker_check()
    assert not mail.outbox and not Announcement.objects.filter(post=draft).exists()
    draft.status = Post.Status.PUBLISHED
    draft.save()
    run_worker_check()
    assert len(mails_to("ada@example.com")) == 1


# --- The database queue and its worker ------------------------------------------------------------


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


# The queue's worker takes SQLite's lock itself (BEGIN EXCLUSIVE): not inside a test's.
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_confirmation_from_the_database_queue(
    client, database_queue, series, part_one
):
    from django_tasks_db.models import DBTaskResult

    follow(client, "ada@example.com", series)
    assert not mail.outbox  # the request only queued it
    assert DBTaskResult.objects.filter(task_path="subscriptions.tasks.send_confirmation").exists()
    call_command("run_worker", "--once", verbosity=0)
    assert len(mails_to("ada@example.com")) == 1


# The queue's worker takes SQLite's lock itself (BEGIN EXCLUSIVE): not inside a test's.
@pytest.mark.django_db(transaction=True)
def test_the_worker_notices_a_scheduled_part_going_live(
    client, database_queue, series, part_one, make_post
):
    follow(client, "ada@example.com", series)
    call_command("run_worker", "--once", verbosity=0)
    client.post(confirmation_path("ada@example.com"))
    mail.outbox.clear()
    part_two = schedule(make_post, slug="part-two", series=series, part=2)
    call_command("run_worker", "--once", verbosity=0)
    assert not mail.outbox
    go_live(part_two)
    call_command("run_worker", "--once", verbosity=0)
    call_command("run_worker", "--once", verbosity=0)
    assert len(mails_to("ada@example.com")) == 1
