"""Who follows what, the log the rate limits count, and the record of every email sent.

- `Subscription`: one address following one thing (a series, the whole site, or the replies to
  its comments). A series or the site is `pending` until the emailed link is opened (double
  opt-in); its `key` is the random value that its signed links carry.
- `FollowRequest`: one request to follow, kept as keyed hashes of the network and the address
  only, counted for the rate limits and deleted after a day.
- `Announcement`: a post the worker found live, recorded once (one row per post), in the same
  transaction as the deliveries it created.
- `Delivery`: one email to one subscription about one post or one reply. Unique per pair and
  inserted before anything is sent, so no pair is ever mailed twice (`subscriptions.sending`).
"""

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from blog.models import Post, Series
from comments.models import Comment

CONFIRM_SALT = "subscriptions.confirm"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"
ADDRESS_SALT = "subscriptions.address"
MAX_EMAIL_LENGTH = 254


def normalise_email(address: str) -> str:
    """The address as stored: trimmed, its domain lower-cased (the local part is the owner's)."""
    local, _, domain = address.strip().rpartition("@")
    return f"{local}@{domain.lower()}" if local else address.strip()


def address_hash(address: str) -> str:
    """A keyed hash of the address, for counting requests without keeping the address."""
    secret = settings.IP_HASH_KEY or None
    return salted_hmac(ADDRESS_SALT, address.lower(), secret=secret, algorithm="sha256").hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(16)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscription.Status.CONFIRMED)

    def following(self, post):
        """Confirmed subscriptions that want this post: the whole site, or the post's series."""
        wanted = models.Q(topic=Subscription.Topic.SITE)
        if post.series_id:
            wanted |= models.Q(topic=Subscription.Topic.SERIES, series_id=post.series_id)
        return self.confirmed().filter(wanted)

    def for_addresses(self, addresses):
        """Subscriptions of these addresses, whatever their case."""
        lowered = {address.lower() for address in addresses}
        return self.alias(lowered_email=Lower("email")).filter(lowered_email__in=lowered)


class Subscription(models.Model):
    class Topic(models.TextChoices):
        SERIES = "series", "A series"
        SITE = "site", "Everything on the site"
        REPLIES = "replies", "Replies to their comments"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending (not confirmed)"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=MAX_EMAIL_LENGTH, help_text="Domain lower-cased.")
    topic = models.CharField(max_length=10, choices=Topic.choices)
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # The random part of the signed confirmation and unsubscribe links (never shown alone).
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmation_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="At most one confirmation email an hour goes to an address.",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "topic"], name="subscription_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "series"],
                condition=models.Q(topic="series"),
                name="one_subscription_per_series",
            ),
            models.UniqueConstraint(
                fields=["email", "topic"],
                condition=~models.Q(topic="series"),
                name="one_subscription_per_topic",
            ),
            models.CheckConstraint(
                condition=models.Q(topic="series", series__isnull=False)
                | (~models.Q(topic="series") & models.Q(series__isnull=True)),
                name="series_only_for_series_topic",
            ),
        ]

    def __str__(self):
        return f"{self.email}: {self.describe()}"

    def describe(self) -> str:
        """What is followed, as a sentence ends it: "the series …", "everything on the site"."""
        if self.topic == self.Topic.SERIES:
            return f"the series “{self.series.title}”"
        if self.topic == self.Topic.REPLIES:
            return "replies to your comments"
        return "everything on the site"

    def confirmation_token(self) -> str:
        return signing.TimestampSigner(salt=CONFIRM_SALT).sign(self.key)

    def unsubscribe_token(self) -> str:
        # Never expires: RFC 8058 expects the link in an old email to keep working.
        return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(self.key)

    def confirmation_url(self) -> str:
        path = reverse("subscriptions:confirm", kwargs={"token": self.confirmation_token()})
        return settings.SITE_URL + path

    def unsubscribe_url(self) -> str:
        path = reverse("subscriptions:unsubscribe", kwargs={"token": self.unsubscribe_token()})
        return settings.SITE_URL + path


class FollowRequest(models.Model):
    """One request to follow, for the rate limits: hashes only, deleted after a day."""

    client_hash = models.CharField(max_length=64)
    address_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["client_hash", "created_at"], name="follow_request_client_idx"),
            models.Index(fields=["address_hash", "created_at"], name="follow_request_address_idx"),
        ]

    def __str__(self):
        return f"request to follow at {self.created_at:%Y-%m-%d %H:%M}"


class Announcement(models.Model):
    """A post the worker found live: its deliveries were created with this row, once."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="announcement")
    announced_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)
    skipped = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why nobody was emailed, when nobody was (it went live long before).",
    )

    class Meta:
        ordering = ["-announced_at"]

    def __str__(self):
        return f"{self.post}: {self.recipients} recipient(s)"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now, claim_timeout):
        """To send now: waiting and due, or claimed by a worker that has not finished in time."""
        return self.filter(
            models.Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            | models.Q(status=Delivery.Status.SENDING, claimed_at__lt=now - claim_timeout)
        )


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"
        SKIPPED = "skipped", "Not sent"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    reply = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "post"],
                condition=models.Q(post__isnull=False),
                name="one_delivery_per_post",
            ),
            models.UniqueConstraint(
                fields=["subscription", "reply"],
                condition=models.Q(reply__isnull=False),
                name="one_delivery_per_reply",
            ),
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, reply__isnull=True)
                | models.Q(post__isnull=True, reply__isnull=False),
                name="delivery_of_a_post_or_a_reply",
            ),
        ]

    def __str__(self):
        about = self.post if self.post_id else f"a reply on {self.reply.post}"
        return f"{self.subscription.email}: {about}"
