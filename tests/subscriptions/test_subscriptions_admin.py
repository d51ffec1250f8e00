"""Subscriptions in the owner's hands: erasing commenters erases their subscriptions, what is
no longer kept is deleted, the admin shows subscribers by status and sends per post and
sends a failed delivery again, and the Privacy page describes following by email.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from subscriptions.models import Delivery, FollowRequest, Subscription
from tests.support.following import confirmed, follow, mails_to, many_followers, run_worker_check

pytestmark = pytest.mark.django_db


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
    settings.EMAIL_BACKEND = "tests.support.mail_backends.MailServerDown"
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
    settings.EMAIL_BACKEND = "tests.support.mail_backends.MailServerDown"
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


def test_the_privacy_page_describes_following_by_email(client, project_pages):
    page = client.get("/privacy/").content.decode()
    for text in ("Following by email", "confirm", "unsubscribe", "3 days", "30 days"):
        assert text in page, text
