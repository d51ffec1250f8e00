"""Asking to follow, confirming and unsubscribing, as plain functions the views call.

- `refusal_for()` records a request and says whether it is over the limits (per network, by
  `siteops.clients.client_hash`, and per address, by a keyed hash), counted in the database so
  the limits hold across servers (`siteops.rate_limits`, which also gives the real wait).
- `ask_to_follow()` does what a request asks without telling the caller anything: a new or
  unsubscribed address becomes pending and gets the confirmation email (at most one an hour to
  an address); an address already following gets nothing. Its caller answers the same either
  way, so the form never reveals who follows what.
- `confirmed_subscription()`/`unsubscribe()` read the signed links of the emails.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comments.models import Comment
from siteops.rate_limits import RateLimit, Refusal, strictest_refusal
from subscriptions.models import (
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    Delivery,
    FollowRequest,
    Subscription,
    address_hash,
)

WINDOW = timedelta(hours=1)
TOO_MANY_FROM_CLIENT = (
    "Too many requests to follow from your network in the last hour. Please try again later."
)
TOO_MANY_FOR_ADDRESS = (
    "This address was typed in here too often in the last hour. Please try again later."
)


def refusal_for(client_hash: str, address: str, now=None) -> Refusal | None:
    """Record this request, then refuse it if the network or the address is over its limit.

    Recorded first and in its own commit, then counted: two servers taking requests at the
    same moment each count the other's, so together they can never let more through.
    Refused requests count too, so hammering does not shorten the wait.
    """
    now = now or timezone.now()
    hashed = address_hash(address)
    this = FollowRequest.objects.create(
        client_hash=client_hash, address_hash=hashed, created_at=now
    )
    # The limits count the requests before this one: this one is what they decide on.
    earlier = FollowRequest.objects.exclude(pk=this.pk)
    per_client = RateLimit(
        "follow requests per network",
        settings.SUBSCRIPTIONS_MAX_PER_CLIENT_PER_HOUR,
        WINDOW,
        TOO_MANY_FROM_CLIENT,
    )
    per_address = RateLimit(
        "follow requests per address",
        settings.SUBSCRIPTIONS_MAX_PER_ADDRESS_PER_HOUR,
        WINDOW,
        TOO_MANY_FOR_ADDRESS,
    )
    return strictest_refusal(
        [
            (per_client, earlier.filter(client_hash=client_hash) if client_hash else None),
            (per_address, earlier.filter(address_hash=hashed) if hashed else None),
        ],
        now,
    )


def ask_to_follow(address: str, series=None, now=None) -> None:
    """Follow the series (or, without one, the whole site) once the address confirms.

    Returns nothing on purpose: nothing about the address may reach the response.
    """
    from subscriptions.tasks import send_confirmation  # tasks import this module's neighbours

    now = now or timezone.now()
    topic = Subscription.Topic.SERIES if series else Subscription.Topic.SITE
    with transaction.atomic():
        # Locks the address's rows (PostgreSQL; SQLite's IMMEDIATE transaction locks all), so
        # two requests at once cannot both pass the once-an-hour check.
        of_address = list(Subscription.objects.for_addresses([address]).select_for_update())
        subscription, _ = Subscription.objects.get_or_create(
            email=address, topic=topic, series=series
        )
        if subscription.status == Subscription.Status.CONFIRMED:
            return
        if subscription.status == Subscription.Status.UNSUBSCRIBED:
            subscription.status, subscription.unsubscribed_at = Subscription.Status.PENDING, None
            subscription.save(update_fields=["status", "unsubscribed_at"])
        since = now - timedelta(minutes=settings.SUBSCRIPTIONS_CONFIRMATION_INTERVAL_MINUTES)
        if any(
            other.confirmation_sent_at and other.confirmation_sent_at > since
            for other in of_address
        ):
            return
        claimed = (
            Subscription.objects.filter(pk=subscription.pk)
            .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=since))
            .update(confirmation_sent_at=now)
        )
        if claimed:
            # A row in the same transaction: the worker sees it only if this commits.
            send_confirmation.enqueue(subscription.pk)


@dataclass(frozen=True)
class ConfirmationLink:
    subscription: Subscription | None
    expired: bool = False


def confirmation_link(token: str) -> ConfirmationLink:
    """The subscription an emailed confirmation link is for, if it is valid and not expired."""
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    max_age = timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_DAYS)
    expired = False
    try:
        key = signer.unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        # Still ours: read it without the age limit, to offer a new link for the same thing.
        key, expired = signer.unsign(token), True
    except signing.BadSignature:
        return ConfirmationLink(None)
    subscription = (
        Subscription.objects.exclude(topic=Subscription.Topic.REPLIES)
        .select_related("series")
        .filter(key=key)
        .first()
    )
    return ConfirmationLink(subscription, expired=expired)


def confirm(subscription) -> None:
    Subscription.objects.filter(pk=subscription.pk).exclude(
        status=Subscription.Status.CONFIRMED
    ).update(
        status=Subscription.Status.CONFIRMED, confirmed_at=timezone.now(), unsubscribed_at=None
    )
    subscription.refresh_from_db()


def subscription_for_unsubscribe(token: str) -> Subscription | None:
    try:
        key = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Subscription.objects.select_related("series").filter(key=key).first()


def unsubscribe(subscription) -> None:
    """No more email for this subscription; for replies, on every comment of the address."""
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).exclude(
            status=Subscription.Status.UNSUBSCRIBED
        ).update(status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
        Delivery.objects.filter(subscription=subscription, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, last_error="Unsubscribed before it was sent."
        )
        if subscription.topic == Subscription.Topic.REPLIES:
            Comment.objects.filter(email__iexact=subscription.email, notify_on_reply=True).update(
                notify_on_reply=False
            )
    subscription.refresh_from_db()


def erase_addresses(addresses) -> int:
    """Delete every subscription (and its record of sends) of these addresses: for erasure."""
    _, deleted = Subscription.objects.for_addresses(addresses).delete()
    return deleted.get(Subscription._meta.label, 0)
