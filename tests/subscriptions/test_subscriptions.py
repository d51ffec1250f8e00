"""Following by email, proven through HTTP and the worker's commands: the form on post and
series pages, double opt-in (a confirmation email and nothing else until it is confirmed; an
expired link refused with a clear page), an answer that never reveals who already follows,
one confirmation an hour, rate limits per network and per address; a scheduled part emailed
once when it goes live, even with two workers racing or one dying mid-batch; failures kept
and retried a bounded number of times; one-click unsubscribe (RFC 8058); reply emails only to
those who asked; erasure; the admin."""

import os
import re
import smtplib
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as settings_module
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments.models import Comment
from comments.moderation import moderate
from subscriptions.models import (
    Announcement,
    Delivery,
    FollowRequest,
    Subscription,
    normalise_email,
)
from tests.support.live_servers import _database as live_database

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/follow/confirm/[^/\s]+/)")


@pytest.fixture
def series(make_series):
    return make_series(slug="it-models", title="Understanding IT service models")


@pytest.fixture
def part_one(make_post, series):
    return make_post(slug="part-one", title="Part one", series=series, part=1)


def follow(client, email, series=None, choice="series", **extra):
    data = {"follow-email": email, "follow-series": series.slug if series else ""}
    if series is not None:
        data["follow-topic"] = choice
    return client.post("/follow/", data, **extra)


def mails_to(address):
    return [m for m in mail.outbox if address.lower() in (to.lower() for to in m.to)]


def confirmation_path(address):
    (message,) = mails_to(address)
    return CONFIRM_LINK.search(message.body).group(1)


def confirmed(client, email, series=None, choice="series"):
    """Follow through the site as a reader does: the form, then the emailed link."""
    follow(client, email, series, choice)
    client.post(confirmation_path(email))
    mail.outbox.clear()
    return Subscription.objects.get(
        email=normalise_email(email), topic="series" if series and choice == "series" else "site"
    )


def schedule(make_post, **fields):
    return make_post(published_at=timezone.now() + timedelta(days=2), **fields)


def go_live(post):
    """The moment a scheduled part's time comes: only the row's time changes, nothing is saved."""
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=5))


def run_worker_check():
    call_command("send_due_notifications", stdout=StringIO())


# --- The form on the pages ------------------------------------------------------------------------


def test_a_post_in_a_series_offers_its_series_or_the_whole_site(client, part_one):
    page = client.get(part_one.get_absolute_url()).content.decode()
    assert "Email me when the next part is out" in page
    form = re.search(
        r'<form method="post" action="/follow/" class="follow-form".*?</form>', page, re.S
    )
    assert form, "no follow form on the post page"
    form = form.group(0)
    assert 'name="follow-series" value="it-models"' in form and 'type="email"' in form
    assert "The next parts of “Understanding IT service models”" in form
    assert 'value="site"' in form and "Every new article" in form


def test_a_post_outside_a_series_offers_the_whole_site(client, make_post):
    post = make_post(slug="standalone")
    page = client.get(post.get_absolute_url()).content.decode()
    form = re.search(r'class="follow-form".*?</form>', page, re.S).group(0)
    assert 'name="follow-email"' in form and 'name="follow-topic"' not in form


def test_the_series_page_has_the_form_and_reading_it_sets_no_cookie(client, series, part_one):
    response = Client().get(series.get_absolute_url())
    page = response.content.decode()
    assert 'class="follow-form"' in page and 'name="follow-series" value="it-models"' in page
    assert 'name="csrfmiddlewaretoken" value=""' in page
    assert not response.cookies


def test_the_cached_post_page_fills_the_follow_forms_token_and_takes_one_query(
    part_one, django_assert_num_queries
):
    Client().get(part_one.get_absolute_url())  # renders and caches it
    reader = Client()
    reader.get("/blog/comments/token/")
    with django_assert_num_queries(1):
        page = reader.get(part_one.get_absolute_url()).content.decode()
    form = re.search(r'class="follow-form".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert token and "\x00" not in page


# --- Double opt-in --------------------------------------------------------------------------------


def test_following_sends_only_a_confirmation_with_a_link(client, series, part_one, make_post):
    response = follow(client, "Ada@Example.COM", series)
    assert response.status_code == 302 and response["Location"] == "/follow/sent/"
    assert "Check your inbox" in client.get("/follow/sent/").content.decode()
    (message,) = mail.outbox
    assert message.to == ["Ada@example.com"]  # the domain lower-cased, the rest as typed
    assert "Understanding IT service models" in message.subject
    assert CONFIRM_LINK.search(message.body) and CONFIRM_LINK.search(message.alternatives[0][0])
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.PENDING
    mail.outbox.clear()

    make_post(slug="part-two", title="Part two", series=series, part=2)
    run_worker_check()
    assert not mail.outbox  # an unconfirmed address gets nothing but the confirmation


def test_the_link_asks_first_and_confirms_on_the_button(client, series, part_one):
    follow(client, "ada@example.com", series)
    path = confirmation_path("ada@example.com")
    page = client.get(path)
    assert page.status_code == 200 and "Yes, email me" in page.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.PENDING  # GET changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert 'data-subscription-status="confirmed"' in done.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.CONFIRMED and subscription.confirmed_at


def test_an_expired_link_is_refused_with_a_clear_page(client, series, part_one, monkeypatch):
    follow(client, "ada@example.com", series)
    subscription = Subscription.objects.get()
    four_days_ago = time.time() - 4 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: four_days_ago)
        old_token = subscription.confirmation_token()
    path = reverse("subscriptions:confirm", kwargs={"token": old_token})
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        page = response.content.decode()
        assert "This link has expired" in page and "3 days" in page
        assert "/follow/?series=it-models" in page  # a way to ask for a new one
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_a_tampered_link_does_nothing(client, series, part_one):
    follow(client, "ada@example.com", series)
    path = confirmation_path("ada@example.com")
    response = client.post(path[:-3] + "x/")
    assert response.status_code == 404 and "This link does not work" in response.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_the_answer_never_reveals_whether_an_address_already_follows(client, series, part_one):
    confirmed(client, "known@example.com", series)
    follow(client, "waiting@example.com", series)
    mail.outbox.clear()
    answers = [
        follow(Client(), address, series)
        for address in ("known@example.com", "waiting@example.com", "new@example.com")
    ]
    assert {(a.status_code, a["Location"], a.content) for a in answers} == {
        (302, "/follow/sent/", b"")
    }
    # Only the new address got an email; the known one is still simply following.
    assert [message.to for message in mail.outbox] == [["new@example.com"]]
    assert Subscription.objects.get(email="known@example.com").status == "confirmed"


def test_an_address_gets_at_most_one_confirmation_an_hour(client, series, part_one):
    follow(client, "ada@example.com", series)
    follow(client, "ada@example.com", series)
    follow(client, "ada@example.com", series, choice="site")  # another topic, same address
    assert len(mails_to("ada@example.com")) == 1
    Subscription.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=61))
    follow(client, "ada@example.com", series)
    assert len(mails_to("ada@example.com")) == 2


def test_unsubscribed_then_following_again_needs_a_new_confirmation(client, series, part_one):
    subscription = confirmed(client, "ada@example.com", series)
    client.post(subscription.unsubscribe_url())
    Subscription.objects.update(confirmation_sent_at=None)
    follow(client, "ada@example.com", series)
    assert Subscription.objects.get().status == Subscription.Status.PENDING
    assert len(mails_to("ada@example.com")) == 1


# --- Rate limits and the address ------------------------------------------------------------------


def test_requests_are_limited_per_network(settings, series, part_one):
    settings.SUBSCRIPTIONS_MAX_PER_CLIENT_PER_HOUR = 3
    reader = Client()
    for n in range(3):
        assert follow(reader, f"reader{n}@example.com", series).status_code == 302
    refused = follow(reader, "typed.carefully@example.com", series)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert 'value="typed.carefully@example.com"' in page and "Too many requests" in page
    assert not Subscription.objects.filter(email="typed.carefully@example.com").exists()
    other_network = follow(Client(REMOTE_ADDR="203.0.113.9"), "typed.carefully@example.com", series)
    assert other_network.status_code == 302


def test_requests_are_limited_per_address(settings, series, part_one):
    settings.SUBSCRIPTIONS_MAX_PER_ADDRESS_PER_HOUR = 2
    for n in range(2):
        assert (
            follow(Client(REMOTE_ADDR=f"203.0.113.{n}"), "ada@example.com", series).status_code
            == 302
        )
    refused = follow(Client(REMOTE_ADDR="198.51.100.7"), "ADA@EXAMPLE.com", series)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert 'value="ADA@EXAMPLE.com"' in refused.content.decode()
    # Only keyed hashes are kept for counting, never the address itself.
    assert not FollowRequest.objects.filter(address_hash__icontains="ada").exists()


def test_an_address_too_long_once_normalised_is_a_form_error(client, series, part_one):
    # "İ" lower-cases to two characters: 254 typed, 264 stored. Another is simply too long.
    for address in ["a" * 239 + "@" + "İ" * 10 + ".com", "a" * 250 + "@example.com"]:
        response = follow(client, address, series)
        assert response.status_code == 400, address
        assert "Keep your email address to 254 characters." in response.content.decode()
    assert not Subscription.objects.exists()


def test_an_invalid_address_keeps_what_was_typed(client, series, part_one):
    response = follow(client, "not an address", series)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="not an address"' in page and "Enter a valid email address" in page


def test_without_a_token_the_request_comes_back_to_be_sent_again(series, part_one):
    reader = Client(enforce_csrf_checks=True)
    refused = follow(reader, "ada@example.com", series, headers={"origin": "http://testserver"})
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Please send it again" in page and 'value="ada@example.com"' in page
    assert "csrftoken" in refused.cookies and not Subscription.objects.exists()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    again = reader.post(
        "/follow/",
        {
            "follow-email": "ada@example.com",
            "follow-series": "it-models",
            "follow-topic": "series",
            "csrfmiddlewaretoken": token,
        },
        headers={"origin": "http://testserver"},
    )
    assert again.status_code == 302 and len(mail.outbox) == 1


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


# --- Exactly once: racing workers, a worker dying, failures ---------------------------------------


def many_followers(count):
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(
            email=f"reader{n}@example.com", topic="site", status="confirmed", confirmed_at=now
        )
        for n in range(count)
    )


SEED = """
from datetime import timedelta
from django.utils import timezone
from blog.models import Post
from subscriptions.models import Subscription
now = timezone.now()
Subscription.objects.bulk_create(
    Subscription(email=f"reader{n}@example.com", topic="site", status="confirmed",
                 confirmed_at=now - timedelta(days=1))
    for n in range(%d)
)
Post.objects.create(title="News", slug="news", body_markdown="Text.", summary="Short.",
                    status="published", published_at=now - timedelta(seconds=5))
"""


@pytest.fixture
def worker_database(tmp_path):
    """A database of its own (a SQLite file, or a fresh PostgreSQL one in CI) for workers run
    as separate processes, as production runs them."""
    with live_database(tmp_path) as url:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "workers-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": url,
        }

        def manage(*args, **extra):
            return subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=settings_module.BASE_DIR,
                env={**env, **extra},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )

        def run(*args, **extra):
            process = manage(*args, **extra)
            out, err = process.communicate(timeout=120)
            return process.returncode, out, err

        code, _, err = run("migrate", "--noinput")
        assert code == 0, err
        yield manage, run


def recipients(console_output):
    return re.findall(r"^To: (.+)$", console_output, re.M)


@pytest.mark.timeout(300)
def test_two_worker_processes_racing_send_each_email_once(worker_database):
    manage, run = worker_database
    assert run("shell", "-c", SEED % 200)[0] == 0
    slow = {"DJANGO_EMAIL_BACKEND": "tests.support.mail_backends.SlowConsoleBackend"}
    workers = [manage("send_due_notifications", **slow) for _ in range(2)]
    outputs = [worker.communicate(timeout=240) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    sent = [recipients(out) for out, _ in outputs]
    everyone = sorted(sent[0] + sent[1])
    assert everyone == sorted(f"reader{n}@example.com" for n in range(200))  # each once
    assert sent[0] and sent[1], "the two workers did not overlap: no race was tested"


@pytest.mark.timeout(300)
def test_a_worker_process_killed_mid_batch_is_resumed_without_duplicates(worker_database):
    _, run = worker_database
    assert run("shell", "-c", SEED % 10)[0] == 0
    killed = {
        "DJANGO_EMAIL_BACKEND": "tests.support.mail_backends.KilledConsoleBackend",
        "MAIL_KILL_AFTER": "4",
    }
    code, first, _ = run("send_due_notifications", **killed)
    assert code == 137 and len(recipients(first)) == 4
    console = {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    # Restarted at once: the rest go, but not the one the dead worker had claimed (it might
    # still be at work); once its claim times out, that one goes too.
    _, second, _ = run("send_due_notifications", **console)
    assert len(recipients(second)) == 5
    _, third, _ = run("send_due_notifications", SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS="0", **console)
    assert len(recipients(third)) == 1
    everyone = recipients(first) + recipients(second) + recipients(third)
    assert sorted(everyone) == sorted(f"reader{n}@example.com" for n in range(10))
    assert not recipients(run("send_due_notifications", **console)[1])


class WorkerKilled(BaseException):
    """What the kill of a worker looks like from inside: nothing after it runs."""


class DiesAfterTwoSends(LocmemBackend):
    def send_messages(self, messages):
        if len(mail.outbox) >= 2:
            raise WorkerKilled
        return super().send_messages(messages)


class MailServerDown(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_worker_killed_mid_batch_is_resumed_without_duplicates(settings, make_post):
    many_followers(5)
    make_post(slug="news")
    settings.EMAIL_BACKEND = f"{__name__}.DiesAfterTwoSends"
    with pytest.raises(WorkerKilled):
        run_worker_check()
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 1  # in hand

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker_check()  # restarted: the rest, but not the claim a worker may still hold
    assert len(mail.outbox) == 4
    Delivery.objects.filter(status=Delivery.Status.SENDING).update(
        claimed_at=timezone.now()
        - timedelta(seconds=settings.SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS + 1)
    )
    run_worker_check()  # the dead worker's claim has timed out: taken over
    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(recipients) == [f"reader{n}@example.com" for n in range(5)]
    run_worker_check()
    assert len(mail.outbox) == 5


def test_a_failed_send_keeps_its_error_and_is_retried_a_bounded_number_of_times(
    settings, make_post
):
    settings.SUBSCRIPTIONS_MAX_ATTEMPTS = 3
    many_followers(1)
    make_post(slug="news")
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    run_worker_check()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=250)
    run_worker_check()
    assert Delivery.objects.get().attempts == 1  # not due yet

    for _ in range(2):
        Delivery.objects.update(next_attempt_at=timezone.now())
        run_worker_check()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 3
    Delivery.objects.update(next_attempt_at=timezone.now())
    run_worker_check()
    assert Delivery.objects.get().attempts == 3  # given up

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker_check()
    assert not mail.outbox


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


# --- One-click unsubscribe ------------------------------------------------------------------------


def test_every_email_carries_the_one_click_unsubscribe(client, series, part_one, make_post):
    follow(client, "ada@example.com", series)
    (confirmation,) = mail.outbox
    subscription = Subscription.objects.get()
    client.post(confirmation_path("ada@example.com"))
    mail.outbox.clear()
    make_post(slug="part-two", series=series, part=2)
    run_worker_check()
    (news,) = mail.outbox
    for message in (confirmation, news):
        url = subscription.unsubscribe_url()
        assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert url.startswith("http://127.0.0.1:8000/follow/unsubscribe/")
        assert url in message.body and url in message.alternatives[0][0]


def test_the_unsubscribe_page_has_one_button_and_a_get_changes_nothing(client, series, part_one):
    subscription = confirmed(client, "ada@example.com", series)
    response = Client().get(subscription.unsubscribe_url())
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<button") == 1 and "Unsubscribe" in page
    assert not response.cookies
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED


def test_the_one_click_post_unsubscribes_without_a_csrf_token(client, series, part_one, make_post):
    subscription = confirmed(client, "ada@example.com", series)
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        subscription.unsubscribe_url(),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscription.objects.get().status == Subscription.Status.UNSUBSCRIBED
    assert mail_client.post(subscription.unsubscribe_url()).status_code == 200  # twice: fine
    make_post(slug="part-two", series=series, part=2)
    run_worker_check()
    assert not mail.outbox


def test_a_forged_unsubscribe_token_does_nothing(client, series, part_one):
    subscription = confirmed(client, "ada@example.com", series)
    forged = reverse("subscriptions:unsubscribe", kwargs={"token": subscription.key + ":forged"})
    assert Client().post(forged).status_code == 404
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED


def test_the_confirmation_still_needs_its_csrf_token(client, series, part_one):
    follow(client, "ada@example.com", series)
    response = Client(enforce_csrf_checks=True).post(
        confirmation_path("ada@example.com"), headers={"origin": "http://testserver"}
    )
    assert response.status_code == 403
    assert Subscription.objects.get().status == Subscription.Status.PENDING


# --- Reply emails ---------------------------------------------------------------------------------


def test_reply_emails_go_only_to_those_who_asked_once_per_reply(make_comment, part_one):
    asked = make_comment(post=part_one, email="asked@example.com", notify_on_reply=True)
    quiet = make_comment(post=part_one, email="quiet@example.com")
    replies = [
        make_comment(post=part_one, parent=parent, email="replier@example.com", status="pending")
        for parent in (asked, quiet)
    ]
    for _ in range(2):  # approved twice: still one email
        moderate(Comment.objects.filter(pk__in=[r.pk for r in replies]), "approved", "ok")
    (message,) = mail.outbox
    assert message.to == ["asked@example.com"]
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body and url in message.alternatives[0][0]
    assert Delivery.objects.get().reply == replies[0]


def test_unsubscribing_from_replies_turns_the_box_off_on_every_comment_of_the_address(
    make_comment, part_one, make_post
):
    first = make_comment(post=part_one, email="asked@example.com", notify_on_reply=True)
    second = make_comment(
        post=make_post(slug="other"), email="asked@example.com", notify_on_reply=True
    )
    make_comment(post=part_one, parent=first, email="replier@example.com")
    moderate(Comment.objects.filter(parent=first), "approved", "ok")
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert Client(enforce_csrf_checks=True).post(url).status_code == 200
    assert not Comment.objects.filter(email="asked@example.com", notify_on_reply=True).exists()
    reply = make_comment(
        post=second.post, parent=second, email="replier@example.com", status="pending"
    )
    moderate(Comment.objects.filter(pk=reply.pk), "approved", "ok")
    assert len(mail.outbox) == 1


# The queue's worker takes SQLite's lock itself (BEGIN EXCLUSIVE): not inside a test's.
@pytest.mark.django_db(transaction=True)
def test_a_reply_email_is_sent_by_the_worker_not_the_request(
    database_queue, make_comment, part_one
):
    parent = make_comment(post=part_one, email="asked@example.com", notify_on_reply=True)
    reply = make_comment(
        post=part_one, parent=parent, email="replier@example.com", status="pending"
    )
    moderate(Comment.objects.filter(pk=reply.pk), "approved", "ok")
    assert not mail.outbox
    call_command("run_worker", "--once", verbosity=0)
    assert mails_to("asked@example.com")


# --- Erasure, keeping and the admin ---------------------------------------------------------------


def test_erasing_commenters_also_erases_their_subscriptions(
    admin_client, client, series, part_one, make_comment
):
    confirmed(client, "Ada@Example.com", series)
    confirmed(client, "bob@example.com", series)
    comment = make_comment(post=part_one, email="ada@example.com")
    response = admin_client.post(
        reverse("admin:comments_comment_changelist") + "?status=all",
        {"action": "erase_commenters", "_selected_action": [comment.pk]},
        follow=True,
    )
    assert "1 email subscription(s)" in response.content.decode()
    assert list(Subscription.objects.values_list("email", flat=True)) == ["bob@example.com"]


def test_what_is_kept_no_longer_is_deleted(client, series, part_one):
    follow(client, "never.confirmed@example.com", series)
    kept = confirmed(client, "gone@example.com", series)
    client.post(kept.unsubscribe_url())
    long_ago = timezone.now() - timedelta(days=40)
    Subscription.objects.update(confirmation_sent_at=long_ago, unsubscribed_at=long_ago)
    FollowRequest.objects.update(created_at=long_ago)
    run_worker_check()
    assert not Subscription.objects.exists() and not FollowRequest.objects.exists()


def test_the_admin_shows_subscribers_by_status_and_sends_per_post(
    admin_client, client, settings, series, part_one, make_post
):
    confirmed(client, "ada@example.com", series)
    follow(client, "waiting@example.com", series)
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    make_post(slug="part-two", title="Part two", series=series, part=2)
    run_worker_check()

    subscribers = admin_client.get(reverse("admin:subscriptions_subscription_changelist"))
    page = subscribers.content.decode()
    assert (
        "Confirmed (1)" in page
        and "Pending (not confirmed) (1)" in page
        and "Unsubscribed (0)" in page
    )
    sends = admin_client.get(
        reverse("admin:subscriptions_announcement_changelist")
    ).content.decode()
    assert "Part two" in sends
    failures = admin_client.get(
        reverse("admin:subscriptions_delivery_changelist") + "?status=pending"
    ).content.decode()
    assert "SMTPServerDisconnected" in failures and "ada@example.com" in failures
    assert admin_client.get(reverse("admin:subscriptions_subscription_add")).status_code == 403


def test_a_failed_delivery_can_be_sent_again_from_the_admin(admin_client, settings, make_post):
    settings.SUBSCRIPTIONS_MAX_ATTEMPTS = 1
    many_followers(1)
    make_post(slug="news")
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    run_worker_check()
    delivery = Delivery.objects.get(status=Delivery.Status.FAILED)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin_client.post(
        reverse("admin:subscriptions_delivery_changelist"),
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    run_worker_check()
    assert mails_to("reader0@example.com")
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_the_privacy_page_describes_following_by_email(client):
    from tests.test_site_pages import PROJECT_CONTENT, sync

    sync(PROJECT_CONTENT)
    page = client.get("/privacy/").content.decode()
    for text in ("Following by email", "confirm", "unsubscribe", "3 days", "30 days"):
        assert text in page, text
