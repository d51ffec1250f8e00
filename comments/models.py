"""Comments on posts, the block list that moderation reads, and the one rule for "public".

`Comment.objects.public()` is the only definition of a comment readers may see: approved, on a
published post, and not hanging under a comment that is no longer public. The post page, the
comment count, the permalink and the Atom feed all go through it. A comment's Markdown is
rendered and sanitised once, in `save()`; requests never run Markdown.

A reply may come from the site itself (`by_site`, written in the admin), and a commenter may
ask to be emailed about replies (`notify_on_reply`; the reply's `reply_notified_at` records
that the email was queued, so it never goes twice). `comments.moderation` queues it and the
background worker sends it (`subscriptions`).
"""

import re
import secrets
from datetime import timedelta
from html import unescape

from django.conf import settings
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from blog.models import Post
from comments.markdown import render_comment_markdown, without_control_characters


def new_owner_token() -> str:
    """A comment's own secret: the browser that wrote it holds it in its `comments_own` cookie."""
    return secrets.token_urlsafe(32)


class BlockedTerm(models.Model):
    """A word or phrase that sends a comment straight to spam (case-insensitive, whole words)."""

    phrase = models.CharField(
        max_length=100,
        unique=True,
        help_text="A word or phrase; matched case-insensitively as whole words in the name, "
        "email, website and text of new comments. A match marks the comment as spam.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase

    def save(self, *args, **kwargs):
        self.phrase = " ".join(self.phrase.split()).lower()
        super().save(*args, **kwargs)

    def pattern(self) -> re.Pattern:
        words = [re.escape(word) for word in self.phrase.split()]
        return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


class CommentQuerySet(models.QuerySet):
    # Cached pages need no help from here: database triggers move the post's data version on
    # every write that changes what readers see (migration 0002, siteops.data_versions).
    def mark_reply_notified(self, when):
        """Record that these replies' parents were emailed; returns how many rows it claimed.

        Nothing readers see changes, and the triggers know it: only a change to an approved
        comment moves the post's data version.
        """
        return self.update(reply_notified_at=when)

    mark_reply_notified.alters_data = True

    def public(self):
        """What readers may see: approved, on a published post, under a public parent (if any)."""
        return self.filter(
            models.Q(parent__isnull=True) | models.Q(parent__status=Comment.Status.APPROVED),
            status=Comment.Status.APPROVED,
            post__in=Post.objects.published(),
        )

    def threads(self, post):
        """The post's public top-level comments, oldest first (replies are fetched per page)."""
        return self.public().filter(post=post, parent__isnull=True).order_by("created_at", "pk")

    def awaiting_moderation(self):
        return self.filter(status=Comment.Status.PENDING)

    def held_for(self, post, comment_ids):
        """Comments this browser wrote that are not public yet, for the commenter's preview.

        Spam is included on purpose: the author of a comment marked as spam is shown the same
        "awaiting moderation" message, which tells a spammer nothing.
        """
        if not comment_ids:
            return self.none()
        return self.filter(
            post=post,
            pk__in=comment_ids,
            status__in=[Comment.Status.PENDING, Comment.Status.SPAM],
        ).order_by("created_at", "pk")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    # Replies go one level deep; a reply to a reply is attached to its top-level comment.
    # SET_NULL: erasing one commenter's comments (a GDPR request) must not erase the replies
    # other people wrote to them.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, help_text="Never shown publicly; unverified.")
    website = models.URLField(max_length=200, blank=True)
    body = models.TextField(max_length=5000, help_text="Markdown: *emphasis*, links, `code`.")
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderation_reason = models.CharField(
        max_length=200, blank=True, help_text="Why the automatic rules chose this status."
    )
    # Only a keyed hash of the address is kept (see siteops.clients.hash_ip): enough to count
    # submissions for flood control, useless for finding out who someone is.
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    by_site = models.BooleanField(
        "reply from the site",
        default=False,
        editable=False,
        help_text="Written in the admin by the site's staff; readers see it marked as the "
        "author's.",
    )
    notify_on_reply = models.BooleanField(
        "email me when someone replies",
        default=False,
        help_text="The commenter asked to be emailed about replies to this comment.",
    )
    # Set on a reply once its parent's author has been emailed about it: never twice.
    reply_notified_at = models.DateTimeField(
        "parent's author emailed at", null=True, blank=True, editable=False
    )

    # What the author's browser must show to edit it (comments.views): an id alone proves
    # nothing, as ids can be issued again (a restore, a reset sequence).
    owner_token = models.CharField(max_length=64, default=new_owner_token, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
            models.Index(fields=["ip_hash", "created_at"], name="comment_ip_flood_idx"),
            models.Index(fields=["email", "created_at"], name="comment_email_idx"),
        ]

    def __str__(self):
        return f"{self.name} on {self.post}: {self.excerpt()}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        self.name = without_control_characters(self.name)
        self.website = without_control_characters(self.website)
        text_saved = update_fields is None or "body" in update_fields
        if text_saved and self.render_text() and update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The permalink: stable, and redirects to whichever comment page now holds it."""
        return reverse("comments:permalink", kwargs={"slug": self.post.slug, "pk": self.pk})

    def render_text(self) -> bool:
        """Render the text's Markdown if it changed since it was last rendered; True if it did.

        Called by `save()`, and before a write transaction begins by whoever can (moderation
        renders a new comment before it locks), so no one waits on the renderer.
        """
        self.body = without_control_characters(self.body)
        if self.body == getattr(self, "_rendered_body", None):
            return False
        self.body_html = render_comment_markdown(self.body)
        self._rendered_body = self.body
        return True

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        if "body" in field_names and "body_html" in field_names:
            comment._rendered_body = comment.body
        return comment

    def plain_text(self) -> str:
        """What readers see, as one line of text: the sanitised HTML without its tags."""
        # Paragraphs and line breaks become spaces first, so their words do not run together.
        separated = self.body_html.replace("</p>", " ").replace("<br>", " ")
        return " ".join(unescape(strip_tags(separated)).split())

    def excerpt(self, length=60):
        """The start of what readers see (never the Markdown), cut at a word within `length`."""
        text = self.plain_text()
        if len(text) <= length:
            return text
        cut = text[: length - 1]
        # At the last space, unless that would leave almost nothing (one very long word).
        if cut.rfind(" ") > length // 2:
            cut = cut[: cut.rfind(" ")]
        return cut.rstrip() + "…"

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED

    def page_number(self, per_page=None):
        """The page of the post's comments that shows this comment (replies: their parent's)."""
        per_page = per_page or settings.COMMENTS_PER_PAGE
        thread = self.parent if self.parent_id else self
        earlier = (
            Comment.objects.threads(self.post)
            .filter(
                models.Q(created_at__lt=thread.created_at)
                | models.Q(created_at=thread.created_at, pk__lt=thread.pk)
            )
            .count()
        )
        return earlier // per_page + 1

    def location(self):
        """Where the comment is shown on the post page: its page and anchor."""
        url = self.post.get_absolute_url()
        if self.is_public:
            page = self.page_number()
            if page > 1:
                url += f"?cpage={page}"
        return f"{url}#{self.anchor}"

    def editable_until(self):
        return self.created_at + timedelta(seconds=settings.COMMENTS_EDIT_WINDOW_SECONDS)

    def can_be_changed_by_author(self, now=None):
        """The author may edit or delete it for a short while, unless a moderator removed it."""
        now = now or timezone.now()
        return self.status != self.Status.REMOVED and now <= self.editable_until()


class CommentEdit(models.Model):
    """One accepted edit of a comment by its author: what the edits' rate limits count."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="edits")
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["ip_hash", "created_at"], name="comment_edit_ip_idx")]

    def __str__(self):
        return f"Edit of comment {self.comment_id} at {self.created_at:%Y-%m-%d %H:%M}"


class UsedFormTimestampQuerySet(models.QuerySet):
    def claim(self, token_hash: str, expires_at) -> int | None:
        """Record this hash unless it is already there, in one statement (no savepoint, and
        no error for the loser of a race): the new row's id, or None if it was there."""
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (token_hash, expires_at) VALUES (%s, %s) "
                "ON CONFLICT (token_hash) DO NOTHING RETURNING id",
                [token_hash, connection.ops.adapt_datetimefield_value(expires_at)],
            )
            row = cursor.fetchone()
        return row[0] if row else None

    claim.alters_data = True


class UsedFormTimestamp(models.Model):
    """A comment form's signed timestamp that has posted a comment, kept until it expires, so
    each served form posts one comment (a hash of it: the token itself is not needed)."""

    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = UsedFormTimestampQuerySet.as_manager()

    def __str__(self):
        return f"Form timestamp used, kept until {self.expires_at:%Y-%m-%d %H:%M}"
