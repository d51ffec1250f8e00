"""Sending what is due, each email once, however many workers run and wherever one dies.

Two steps, both safe to run in several workers at the same moment and to stop at any point:

1. `announce_due_posts()`: every published post (`Post.objects.published()`, decided at query
   time, so a scheduled part counts from the minute its time comes) that has no
   `Announcement` gets one, and with it one `Delivery` per address that follows the post, in
   one transaction. The announcement is unique per post: a second worker's insert fails and
   its whole transaction rolls back, so a post is announced once and its list drawn once.
2. `send_due_deliveries()`: each due delivery is claimed by a single conditional UPDATE
   (waiting → being sent, `attempts + 1`; only one worker's UPDATE can match the row), then
   sent, then marked sent. A send that raises goes back to waiting with a later
   `next_attempt_at` (SUBSCRIPTIONS_RETRY_SECONDS, doubling), and after
   SUBSCRIPTIONS_MAX_ATTEMPTS attempts is marked failed with its error. A claim older than
   SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS belongs to a worker that died: it is taken over (with
   the same Message-ID, `subscriptions.mail.delivery_message_id`).

`queue_reply()` is the reply emails' way in (comments.moderation); `prune()` deletes what is kept
no longer. The task `subscriptions.tasks.send_notifications` runs steps 1 and 2.
"""

import logging
import os
import secrets
import socket
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from blog.models import Post
from comments.models import Comment
from subscriptions.mail import post_mail, reply_mail
from subscriptions.models import (
    Announcement,
    Delivery,
    FollowRequest,
    Subscription,
    normalise_email,
)

logger = logging.getLogger(__name__)

BATCH = 100
WENT_LIVE_LONG_AGO = "It went live before following could announce it."


# --- 1. Posts that went live ------------------------------------------------------------------


def announce_due_posts(now=None) -> int:
    """Announce every live post not yet announced; returns how many deliveries it created."""
    now = now or timezone.now()
    due = Post.objects.published().filter(announcement__isnull=True).select_related("series")
    created = 0
    for post in due.order_by("published_at", "pk"):
        # The later of its publish time and its last save is when it went live (a draft made
        # public keeps its old publish time). Posts that went live long ago (already out when
        # following began, or the worker was stopped for long) are recorded, emailing nobody.
        went_live = max(post.published_at, post.updated_at)
        created += _announce(post, now, went_live)
    return created


def _announce(post, now, went_live) -> int:
    recent = now - timedelta(days=settings.SUBSCRIPTIONS_ANNOUNCE_WITHIN_DAYS)
    try:
        with transaction.atomic():
            if went_live < recent:
                Announcement.objects.create(post=post, announced_at=now, skipped=WENT_LIVE_LONG_AGO)
                return 0
            # "Email me when the next part is out": only those already following when it went
            # live. One email per address: someone following the series and the whole site
            # gets one, as a follower of the series (the more particular reason).
            followers = Subscription.objects.following(post).filter(confirmed_at__lte=went_live)
            chosen = {}
            for subscription in followers.order_by("topic", "pk"):
                chosen.setdefault(subscription.email.lower(), subscription)
            # First, so that a second worker stops here and rolls back.
            Announcement.objects.create(post=post, announced_at=now, recipients=len(chosen))
            Delivery.objects.bulk_create(
                [
                    Delivery(subscription=subscription, post=post, next_attempt_at=now)
                    for subscription in chosen.values()
                ],
                batch_size=500,
            )
    except IntegrityError:
        return 0  # another worker announced it a moment ago, deliveries and all
    return len(chosen)


# --- Replies ----------------------------------------------------------------------------------


def replies_subscription(address) -> Subscription:
    """The subscription to reply emails of this address, confirmed.

    It is created, or taken back from "unsubscribed", only when a comment of theirs asks for
    reply emails: unsubscribing turns that box off on every comment of the address, so a
    comment with it ticked was written (or changed by a moderator) since.
    """
    subscription, _ = Subscription.objects.get_or_create(
        email=normalise_email(address),
        topic=Subscription.Topic.REPLIES,
        defaults={"status": Subscription.Status.CONFIRMED, "confirmed_at": timezone.now()},
    )
    if subscription.status != Subscription.Status.CONFIRMED:
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at, subscription.unsubscribed_at = timezone.now(), None
        subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    return subscription


def queue_reply(reply, parent) -> Delivery:
    """A delivery of this reply to the parent's author; call it inside the claiming transaction."""
    delivery, _ = Delivery.objects.get_or_create(
        subscription=replies_subscription(parent.email), reply=reply
    )
    return delivery


# --- 2. Sending -------------------------------------------------------------------------------


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def send_due_deliveries(worker_id=None) -> Counter:
    """Send every delivery due now, once; returns counts of what happened to each.

    Walks the due deliveries in id order, each at most once a run (a failure waits for its
    retry time, or for the next run), and shares one connection to the mail server.
    """
    worker_id = worker_id or new_worker_id()
    timeout = timedelta(seconds=settings.SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS)
    report, last_pk, connection = Counter(), 0, None
    try:
        while True:
            batch = list(
                Delivery.objects.due(timezone.now(), timeout)
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not batch:
                break
            for pk in batch:
                last_pk = pk
                delivery = _claim(pk, worker_id, timeout)
                if delivery is None:
                    report["taken by another worker"] += 1
                    continue
                connection = connection or get_connection()
                report[_send(delivery, connection, worker_id)] += 1
    finally:
        if connection is not None:
            _close_quietly(connection)
    return report


def _claim(pk, worker_id, timeout):
    """The delivery if this worker's UPDATE claimed it, else None (someone else has it)."""
    now = timezone.now()
    claimed = (
        Delivery.objects.due(now, timeout)
        .filter(pk=pk)
        .update(
            status=Delivery.Status.SENDING,
            claimed_at=now,
            claimed_by=worker_id,
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    return Delivery.objects.select_related(
        "subscription__series", "post__series", "reply__post", "reply__parent"
    ).get(pk=pk)


def _send(delivery, connection, worker_id) -> str:
    reason = _no_longer_wanted(delivery)
    if reason:
        _finish(delivery, worker_id, status=Delivery.Status.SKIPPED, last_error=reason)
        return "skipped"
    try:
        message = post_mail(delivery) if delivery.post_id else reply_mail(delivery)
        message.connection = connection
        message.send()
    except Exception as error:  # the mail server refused or is down, a template broke…
        logger.warning("Delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error)
        _close_quietly(connection)  # the next send opens a fresh one
        problem = f"{type(error).__name__}: {error}"[:2000]
        if delivery.attempts >= settings.SUBSCRIPTIONS_MAX_ATTEMPTS:
            _finish(delivery, worker_id, status=Delivery.Status.FAILED, last_error=problem)
            return "failed"
        delay = settings.SUBSCRIPTIONS_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
        _finish(
            delivery,
            worker_id,
            status=Delivery.Status.PENDING,
            last_error=problem,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        return "to retry"
    _finish(delivery, worker_id, status=Delivery.Status.SENT, sent_at=timezone.now())
    return "sent"


def _no_longer_wanted(delivery) -> str:
    """Why this email must not go now (unsubscribed, unpublished…), or ""."""
    if delivery.subscription.status != Subscription.Status.CONFIRMED:
        return "The address unsubscribed before it was sent."
    if delivery.post_id:
        if not Post.objects.published().filter(pk=delivery.post_id).exists():
            return "The post is no longer published."
        return ""
    parent = delivery.reply.parent
    if parent is None or not parent.notify_on_reply:
        return "The commenter no longer wants reply emails."
    if not Comment.objects.public().filter(pk=delivery.reply_id).exists():
        return "The reply is no longer public."
    return ""


def _finish(delivery, worker_id, **fields):
    # Only while this worker still holds the claim: one that took too long and was taken
    # over must not overwrite what the other worker recorded.
    Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.SENDING, claimed_by=worker_id
    ).update(**fields)


def _close_quietly(connection):
    try:
        connection.close()
    except Exception:  # a broken connection may fail to close: it is dropped either way
        logger.debug("Closing the mail connection failed", exc_info=True)


# --- What is kept no longer -------------------------------------------------------------------


def prune(now=None) -> dict:
    """Delete request logs after a day, unconfirmed addresses once their link has expired,
    and unsubscribed ones after SUBSCRIPTIONS_KEEP_UNSUBSCRIBED_DAYS (Privacy page); and the
    queue's finished tasks (a check a minute adds up): after a day, or 30 days if they failed."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    DBTaskResult.objects.successful().filter(finished_at__lt=now - timedelta(days=1)).delete()
    DBTaskResult.objects.failed().filter(finished_at__lt=now - timedelta(days=30)).delete()
    expired = now - timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_DAYS)
    gone = now - timedelta(days=settings.SUBSCRIPTIONS_KEEP_UNSUBSCRIBED_DAYS)
    requests, _ = FollowRequest.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    pending, _ = (
        Subscription.objects.filter(status=Subscription.Status.PENDING)
        .filter(
            Q(confirmation_sent_at__lt=expired)
            | Q(confirmation_sent_at__isnull=True, created_at__lt=expired)
        )
        .delete()
    )
    unsubscribed, _ = Subscription.objects.filter(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at__lt=gone
    ).delete()
    return {"requests": requests, "pending": pending, "unsubscribed": unsubscribed}
