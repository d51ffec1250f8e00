"""Following by email as the subscription tests do it: the follow form posted (`follow`), the
confirmation link read from the outbox (`confirmation_path`) and followed (`confirmed`), a part
scheduled and made due (`schedule`, `go_live`), the worker's periodic check run once
(`run_worker_check`), and confirmed followers written straight in (`many_followers`)."""

import re
from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from blog.models import Post
from subscriptions.models import Subscription, normalise_email

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/follow/confirm/[^/\s]+/)")


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


def many_followers(count):
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(
            email=f"reader{n}@example.com", topic="site", status="confirmed", confirmed_at=now
        )
        for n in range(count)
    )
