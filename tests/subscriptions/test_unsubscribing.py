"""Leaving: every email carries the one-click unsubscribe (RFC 8058) that needs no CSRF token
while the confirmation still does; a forged token does nothing; reply emails go only to
those who asked, once a reply, sent by the worker and not the request, and unsubscribing from
them turns the box off on every comment of the address.
"""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.moderation import moderate
from subscriptions.models import Delivery, Subscription
from tests.support.following import confirmation_path, confirmed, follow, mails_to, run_worker_check

pytestmark = pytest.mark.django_db


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
    content = page[page.index("<main") : page.index("</main>")]  # not the masthead's buttons
    assert response.status_code == 200 and content.count("<button") == 1 and "Unsubscribe" in page
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
