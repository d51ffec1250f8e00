"""What happens to a submitted comment, read top to bottom: is it a repeat, is it a flood, and
which status the moderation rules give it; how a moderator moves comments to another status;
then who is told about it. Who sent it (the keyed hash of the client's address) comes from
`siteops.clients`.

`CommentModerator.receive()` is used by the comment view; `moderate()` by the admin's bulk and
one-click actions and the managers' emailed link; `reply_from_the_site()` by the admin. The
rules take plain values, so tests, the admin and commands can use them without a request.
Everything is counted in the database (not a cache), so the limits hold across processes and
servers.
"""

import hashlib
import logging
import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import mail_managers
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments.models import Comment, CommentEdit, UsedFormTimestamp
from comments.spam_signs import blocked_term_in, count_links
from siteops.rate_limits import RateLimit, Refusal, exclusively, strictest_refusal
from subscriptions.sending import queue_reply
from subscriptions.tasks import send_notifications

logger = logging.getLogger(__name__)

MODERATE_ALL = "all"
MODERATE_FIRST_TIME = "first_time"
MODERATE_NONE = "none"

DUPLICATE_WINDOW = timedelta(days=1)
MODERATION_SALT = "blog.comments.moderate"
# The used form timestamps are cleared of expired ones once in so many claims, not on each.
CLEAR_EXPIRED_TIMESTAMPS_EVERY = 100


# --- What the moderator decides -------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """A valid comment form, as plain values."""

    post: Post
    name: str
    email: str
    body: str
    website: str = ""
    parent: Comment | None = None
    ip_hash: str = ""
    notify_on_reply: bool = False
    form_token: str = ""  # the form's signed timestamp: one comment per served form


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str


@dataclass(frozen=True)
class SenderHistory:
    """What the sender's recent comments say about one more: a copy of it, or a refusal."""

    earlier: Comment | None = None
    refusal: Refusal | None = None


def refusal_among(limit: RateLimit, times: list[datetime], now: datetime) -> Refusal | None:
    """`RateLimit.refusal`'s rule (siteops.rate_limits) over event times already fetched: the
    comments count several limits from one query. The same exact wait, in whole seconds."""
    if limit.limit <= 0:
        return Refusal(limit.message, _whole_seconds(limit.window), limit.name)
    recent = sorted(time for time in times if time > now - limit.window)
    if len(recent) < limit.limit:
        return None
    freed_at = recent[len(recent) - limit.limit] + limit.window
    return Refusal(limit.message, _whole_seconds(freed_at - now), limit.name)


def _whole_seconds(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds()))


@dataclass(frozen=True)
class Outcome:
    """What `receive()` did: stored a new comment, found the earlier copy, or refused."""

    comment: Comment | None = None
    is_new: bool = False
    refusal: Refusal | None = None
    form_used: bool = False  # this form's timestamp already posted another comment


class CommentModerator:
    def __init__(
        self,
        *,
        mode=MODERATE_FIRST_TIME,
        max_links=2,
        min_interval_seconds=30,
        max_per_hour=10,
        now: datetime | None = None,
    ):
        self.mode = mode
        self.max_links = max_links
        self.min_interval = timedelta(seconds=min_interval_seconds)
        self.max_per_hour = max_per_hour
        self.now = now or timezone.now()

    @classmethod
    def from_settings(cls, now=None):
        return cls(
            mode=settings.COMMENTS_MODERATION,
            max_links=settings.COMMENTS_MAX_LINKS,
            min_interval_seconds=settings.COMMENTS_MIN_INTERVAL_SECONDS,
            max_per_hour=settings.COMMENTS_MAX_PER_HOUR,
            now=now,
        )

    def receive(self, submission: Submission) -> Outcome:
        """Store the comment unless it repeats one already stored or floods the site.

        Checked and stored under a lock per sender (address and email), on every server alike
        (`siteops.rate_limits.exclusively`): racing copies of one double click (one email)
        cannot both pass the duplicate check, and a sender racing comments to many posts
        cannot pass the flood limits together. A repeat or a refusal is answered from the
        sender's history read before the lock too: racing requests only add to it, so what
        it shows then still holds under the lock, and a flood costs no lock at all. The
        Markdown is rendered before, so no one waits on it.
        """
        comment = Comment(
            post=submission.post,
            parent=submission.parent,
            name=submission.name,
            email=submission.email,
            website=submission.website,
            body=submission.body,
            ip_hash=submission.ip_hash,
            notify_on_reply=submission.notify_on_reply,
            created_at=self.now,
        )
        comment.render_text()
        answered = self._earlier_or_refused(submission)
        if answered is not None:
            return answered
        senders = [f"comments:email:{submission.email}"]
        if submission.ip_hash:
            senders.append(f"comments:client:{submission.ip_hash}")
        with exclusively(*senders):
            answered = self._earlier_or_refused(submission)
            if answered is not None:
                return answered
            if not self.claim_form_token(submission.form_token):
                return Outcome(form_used=True)
            verdict = self.verdict(submission)
            comment.status, comment.moderation_reason = verdict.status, verdict.reason
            comment.save(force_insert=True)
        return Outcome(comment=comment, is_new=True)

    def _earlier_or_refused(self, submission: Submission) -> Outcome | None:
        history = self.sender_history(submission)
        if history.earlier is not None:
            return Outcome(comment=history.earlier)
        if history.refusal is not None:
            return Outcome(refusal=history.refusal)
        return None

    def claim_form_token(self, token: str) -> bool:
        """Record that this form's timestamp posts a comment; False if one already did.

        A hash of it is kept until the timestamp would have expired anyway, so a form served
        once posts one comment, on every server; the unique hash settles a race, in one
        statement. Every so many claims clear the expired hashes: an expired one can never
        refuse a form, as the form's own timestamp expired before it. A double click never
        gets here: it is folded first.
        """
        if not token:
            return True
        expires_at = self.now + timedelta(seconds=settings.COMMENTS_FORM_MAX_AGE_SECONDS)
        claimed = UsedFormTimestamp.objects.claim(
            hashlib.sha256(token.encode()).hexdigest(), expires_at
        )
        if claimed is None:
            return False
        if claimed % CLEAR_EXPIRED_TIMESTAMPS_EVERY == 0:
            UsedFormTimestamp.objects.filter(expires_at__lte=self.now).delete()
        return True

    def sender_history(self, submission: Submission) -> "SenderHistory":
        """The sender's recent comments, in one query: an earlier copy of this one (the same
        text from the same email on the same post within a day, already stored), and why
        the flood limits refuse one more (same rules per IP and email), if they do."""
        limits = self._flood_limits("comment")
        flood_window = max(limit.window for limit in limits)
        by_sender = Q(
            email=submission.email, created_at__gte=self.now - max(DUPLICATE_WINDOW, flood_window)
        )
        if submission.ip_hash:
            by_sender |= Q(ip_hash=submission.ip_hash, created_at__gt=self.now - flood_window)
        same_text = Q(post=submission.post, body=submission.body) & ~Q(
            status=Comment.Status.REMOVED
        )
        rows = list(
            Comment.objects.filter(by_sender)
            .annotate(same_text=ExpressionWrapper(same_text, output_field=BooleanField()))
            .values("pk", "email", "ip_hash", "created_at", "same_text")
        )
        copies = [
            (row["created_at"], row["pk"])
            for row in rows
            if row["same_text"]
            and row["email"] == submission.email
            and row["created_at"] >= self.now - DUPLICATE_WINDOW
        ]
        if copies:
            earlier = Comment.objects.get(pk=min(copies)[1])
            earlier.post = submission.post  # the same post: no query for its address
            return SenderHistory(earlier=earlier)
        senders = [
            [row["created_at"] for row in rows if row[field] == value]
            for field, value in (("ip_hash", submission.ip_hash), ("email", submission.email))
            if value
        ]
        refusals = [
            refusal
            for times in senders
            for limit in limits
            for refusal in [refusal_among(limit, times, self.now)]
            if refusal is not None
        ]
        # As siteops.rate_limits.strictest_refusal: the longest wait, the first listed on a tie.
        refusal = max(refusals, key=lambda refusal: refusal.retry_after_seconds, default=None)
        return SenderHistory(refusal=refusal)

    def _flood_limits(self, what: str) -> tuple[RateLimit, RateLimit]:
        """The interval and the hourly cap, for new comments ("comment") or edits ("edit")."""
        doing = "commenting" if what == "comment" else "editing comments"
        too_fast = RateLimit.min_interval(
            f"{what} interval",
            self.min_interval,
            f"You are {doing} faster than this site allows. Please wait a minute, "
            f"then send your {'comment' if what == 'comment' else 'edit'} again: "
            "it is still here.",
        )
        hourly = RateLimit(
            f"{what}s per hour",
            self.max_per_hour,
            timedelta(hours=1),
            f"You have reached the limit of {self.max_per_hour} {what}s an hour. "
            "Please come back later: your comment is still here, so copy it if you "
            "want to keep it.",
        )
        return too_fast, hourly

    def verdict(self, submission: Submission) -> Verdict:
        """The status of a new comment. The first rule that applies wins."""
        blocked = blocked_term_in(
            submission.name, submission.email, submission.website, submission.body
        )
        if blocked:
            return Verdict(Comment.Status.SPAM, f"Contains the blocked term “{blocked}”.")
        links = count_links(submission.body, submission.name)
        if links > self.max_links:
            return Verdict(Comment.Status.PENDING, f"Contains {links} links.")
        if self.mode == MODERATE_NONE:
            return Verdict(Comment.Status.APPROVED, "Comments are not moderated.")
        if self.mode == MODERATE_ALL:
            return Verdict(Comment.Status.PENDING, "Every comment is moderated.")
        if self.has_approved_comment(submission.email):
            return Verdict(Comment.Status.APPROVED, "This email has an approved comment.")
        return Verdict(Comment.Status.PENDING, "First comment from this email.")

    def verdict_on_edit(self, comment: Comment) -> Verdict:
        """An edit is judged by the rules of a new comment, but can never make it more public.

        Ten links added to an approved comment send it back to moderation, as they would a new
        one; an edit of a held or spam comment never approves it (a moderator's decision, or
        the rules', stands until a moderator changes it).
        """
        fresh = self.verdict(
            Submission(
                post=comment.post,
                name=comment.name,
                email=comment.email,
                website=comment.website,
                body=comment.body,
            )
        )
        if fresh.status == Comment.Status.APPROVED or fresh.status == comment.status:
            return Verdict(comment.status, comment.moderation_reason)
        return replace(fresh, reason=f"Edited: {fresh.reason[0].lower()}{fresh.reason[1:]}")

    def edit_refusal(self, comment: Comment, ip_hash: str) -> Refusal | None:
        """Why this author must wait before editing again, or None: the limits of new comments
        (interval and hourly cap, per network and per email), counted over their edits."""
        senders = [
            CommentEdit.objects.filter(**{field: value})
            for field, value in (("ip_hash", ip_hash), ("comment__email", comment.email))
            if value
        ]
        return strictest_refusal(
            [(limit, sent) for sent in senders for limit in self._flood_limits("edit")],
            self.now,
        )

    def record_edit(self, comment: Comment, ip_hash: str) -> None:
        CommentEdit.objects.create(comment=comment, ip_hash=ip_hash, created_at=self.now)

    @staticmethod
    def has_approved_comment(email: str) -> bool:
        return Comment.objects.filter(email=email, status=Comment.Status.APPROVED).exists()


# --- What a moderator decides ------------------------------------------------------------------


def moderate(comments, status: str, reason: str) -> int:
    """Move these comments to `status`; the one path of every moderator's decision.

    One UPDATE through `CommentQuerySet.update()`, which moves the discussion versions of
    their posts (so cached pages are rebuilt on the next request). Replies that this makes
    public tell their parent's author, if they asked. Returns how many comments it moved.
    """
    # The ids first: the queryset may be filtered by the old status (the queue's filter).
    ids = list(comments.values_list("pk", flat=True))
    moved = Comment.objects.filter(pk__in=ids).update(status=status, moderation_reason=reason)
    if status == Comment.Status.APPROVED:
        notify_reply_subscribers(ids)
    return moved


def reply_from_the_site(comment: Comment, *, name: str, body: str, email: str, by: str):
    """Publish a reply by the site's staff to `comment`, and tell its thread's author if asked.

    Approved at once and marked `by_site`; saved through `Comment.save()`, so its Markdown is
    rendered and sanitised like any comment's and the discussion version moves.
    """
    reply = Comment.objects.create(
        post=comment.post,
        # Replies go one level deep, as readers' do: under the thread's top-level comment.
        parent=comment.parent or comment,
        name=name,
        email=email,
        body=body,
        status=Comment.Status.APPROVED,
        by_site=True,
        moderation_reason=f"Reply from the site, by {by}.",
    )
    notify_reply_subscribers([reply.pk])
    return reply


# --- Who is told ------------------------------------------------------------------------------


def moderation_token(comment: Comment) -> str:
    return signing.TimestampSigner(salt=MODERATION_SALT).sign(str(comment.pk))


def comment_for_moderation_token(pk: int, token: str) -> Comment | None:
    """The comment a manager's emailed link is for, if the link is genuine and not too old."""
    signer = signing.TimestampSigner(salt=MODERATION_SALT)
    try:
        signed_pk = signer.unsign(token, max_age=settings.COMMENTS_MODERATION_LINK_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if signed_pk != str(pk):
        return None
    return Comment.objects.select_related("post").filter(pk=pk).first()


def moderation_url(comment: Comment) -> str:
    path = reverse(
        "comments:moderate", kwargs={"pk": comment.pk, "token": moderation_token(comment)}
    )
    return settings.SITE_URL + path


def notify_managers(comment: Comment) -> None:
    """Email settings.MANAGERS about a new comment, with a link to moderate it.

    Never the commenter: their address is unverified. Spam is not announced (it waits in the
    admin) so a spam run cannot flood the managers' inbox. Nothing the commenter typed goes
    into a header: the subject carries only the post's title, made single-line.
    """
    if not settings.COMMENTS_NOTIFY_MANAGERS or comment.status == Comment.Status.SPAM:
        return
    title = " ".join(comment.post.title.split())
    state = "awaiting moderation" if comment.status == Comment.Status.PENDING else "published"
    subject = f"New comment {state} on “{title}”"
    message = render_to_string(
        "comments/email/notification.txt",
        {
            "comment": comment,
            "state": state,
            "moderation_url": moderation_url(comment),
            "post_url": settings.SITE_URL + comment.post.get_absolute_url(),
            "admin_url": settings.SITE_URL
            + reverse("admin:comments_comment_change", args=[comment.pk]),
        },
    )
    try:
        mail_managers(subject, message)
    except OSError:
        # The comment is stored either way; a mail outage must not turn into an error page.
        logger.exception("Could not email the managers about comment %s", comment.pk)


def notify_reply_subscribers(comment_ids) -> int:
    """Queue an email to the parent's author of each of these replies that is public, if asked.

    One email per reply, ever: the reply is claimed (`reply_notified_at`) by a conditional
    UPDATE in the same transaction that records its delivery (`subscriptions.sending`), so two
    moderators approving at once cannot both queue it. The worker sends it (the
    `send_notifications` task), built like every follower email, with its one-click
    unsubscribe. Never to the replier: a reply from the parent's own address is not announced.
    Call it wherever a reply becomes public (approved on arrival, by a moderator, or written by
    the site); replies that are not public, or not replies, are passed over. Returns how many
    emails were queued.
    """
    replies = list(
        Comment.objects.public()
        .filter(pk__in=comment_ids, parent__notify_on_reply=True, reply_notified_at__isnull=True)
        .select_related("post", "parent")
        .order_by("created_at", "pk")
    )
    queued = 0
    for reply in replies:
        parent = reply.parent
        if parent.email.strip().lower() == reply.email.strip().lower():
            continue
        with transaction.atomic():
            claimed = Comment.objects.filter(
                pk=reply.pk, reply_notified_at__isnull=True
            ).mark_reply_notified(timezone.now())
            if not claimed:
                continue
            queue_reply(reply, parent)
        queued += 1
    if queued:
        send_notifications.enqueue()
    return queued
