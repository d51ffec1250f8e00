"""Series, posts and tags, and the one rule that decides what readers can see.

`Post.objects.published()` is the only definition of "public": every view, feed, sitemap,
count, author page, tag count and series navigation goes through it. Markdown is rendered
once, in `save()`.
"""

import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.text import slugify

from blog import markdown
from siteops.text import without_control_characters

_FIRST_SEGMENT = re.compile(r"^\^?([-\w.]+)")


def fixed_first_segments(prefix="") -> set[str]:
    """The first path segments of the fixed routes at `prefix` ("feed", "tag", "comments"
    under "blog/"; "blog", "admin"… at the root), whichever app's URLconf holds them.

    A slug-addressed page (a post under /blog/, a site page at the root) must not take one:
    the route listed first would hide the other.
    """
    patterns = []
    for pattern in get_resolver().url_patterns:
        if not prefix:
            patterns.append(pattern)
        elif str(pattern.pattern) == prefix and hasattr(pattern, "url_patterns"):
            patterns.extend(pattern.url_patterns)
    segments = set()
    for pattern in patterns:
        match = _FIRST_SEGMENT.match(str(pattern.pattern))
        if match:
            segments.add(match.group(1))
    return segments


def strip_control_characters(instance):
    """Remove control characters (tab and line breaks are text) from every text field, whatever
    wrote it: NUL is the page cache's hole marker (siteops.page_cache), so a title holding one
    would print a reader's CSRF token in the page, and PostgreSQL refuses NUL outright."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, without_control_characters(value))


def validate_post_slug(value):
    if value in fixed_first_segments("blog/"):
        raise ValidationError(
            f"the slug {value!r} is reserved: /blog/{value}/ is the address of another page"
        )


class Series(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on the series page."
    )
    planned_parts = models.PositiveSmallIntegerField(
        default=1,
        help_text="How many parts the series will have; parts not yet published are shown "
        "to readers as “coming soon”.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("blog:series-detail", kwargs={"slug": self.slug})

    def table_of_contents(self):
        """Every part from 1 to the last planned or published, each a published post or None."""
        published = {post.part: post for post in self.posts.published().order_by("part")}
        total = max([self.planned_parts, *published.keys()], default=0)
        return [(number, published.get(number)) for number in range(1, total + 1)]


class TagQuerySet(models.QuerySet):
    def get_or_create_by_name(self, name):
        """The tag this word names, made if new: named as written, or, written as a slug
        ("zero-trust"), in words ("Zero trust"): readers never see a slug as a name."""
        name = name.strip()
        slug = slugify(name)
        if name == slug:
            name = name.replace("-", " ").capitalize()
        return self.get_or_create(slug=slug, defaults={"name": name})

    def in_use(self):
        """Tags of published posts, each with `published_count` and `last_change` (one query)."""
        # Filtering before annotating makes the counts run over the same published rows.
        return self.filter(posts__in=Post.objects.published()).annotate(
            published_count=models.Count("posts", distinct=True),
            last_change=models.Max("posts__updated_at"),
        )


class Tag(models.Model):
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: status published and a publish time that has passed.

        The one definition of "public" in the database; `Post.is_public` states the same two
        conditions for a post already in hand (tests hold them equal). `now` is for compiling
        the rule once (blog.page_cache); callers leave it out.
        """
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def for_listing(self):
        return self.published().select_related("series").prefetch_related("tags")

    def related_to(self, post, limit=3):
        """Up to `limit` published posts sharing the most of `post`'s tags, the newest first
        among equals; never `post` itself nor a part of its series (its navigation lists
        them). One query, none when the post has no tags; reads the tags already fetched."""
        tag_ids = [tag.pk for tag in post.tags.all()]
        if not tag_ids:
            return self.none()
        related = self.published().filter(tags__in=tag_ids).exclude(pk=post.pk)
        if post.series_id is not None:
            related = related.exclude(series_id=post.series_id)
        # Filtered before annotating: the count is of the shared tags only.
        related = related.annotate(shared_tags=models.Count("tags"))
        return related.only("title", "slug", "published_at", "reading_minutes").order_by(
            "-shared_tags", "-published_at", "-pk"
        )[:limit]


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class CommentsPolicy(models.TextChoices):
        DEFAULT = "default", "Open, closing automatically after the usual period"
        OPEN = "open", "Always open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        validators=[validate_post_slug],
        help_text="The post's URL: /blog/<slug>/",
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    part = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Its place in the series (1, 2, 3…)."
    )
    author_name = models.CharField("author", max_length=100, default="Jim")
    # The author page's address, /blog/author/<author_slug>/, kept from author_name on save.
    author_slug = models.SlugField(max_length=100, blank=True, editable=False)
    summary = models.TextField(
        max_length=300, blank=True, help_text="Shown in lists, feeds and search-engine snippets."
    )
    body_markdown = models.TextField(
        "body", help_text="Markdown: ## headings, tables, ``` code fences, footnotes ([^1])."
    )
    body_html = models.TextField(editable=False, default="")
    toc_html = models.TextField(editable=False, default="")
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish at",
        default=timezone.now,
        help_text="A published post stays hidden until this time.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    comments_policy = models.CharField(
        "comments",
        max_length=10,
        choices=CommentsPolicy.choices,
        default=CommentsPolicy.DEFAULT,
        help_text="By default comments close COMMENTS_CLOSE_AFTER_DAYS days after publishing.",
    )
    # NULL for none rather than "": SQLite adds a nullable column in place, where a column
    # with a default rebuilds the table and drops its data-version triggers.
    share_image = models.CharField(  # noqa: DJ001 (the comment above)
        max_length=200,
        blank=True,
        null=True,
        help_text="The image shown when the post is shared (og:image), written as in the "
        "post: ../images/<file> for a file under content/images/. Empty: a card drawn from "
        "the title.",
    )
    # Set by sync_posts: the source file's hash, and the fingerprint of the content it wrote,
    # so a later admin edit (fingerprint changed) is never silently overwritten.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    synced_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="post_public_idx"),
            models.Index(fields=["author_slug", "-published_at"], name="post_author_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["series", "part"], name="unique_part_per_series"),
            models.CheckConstraint(
                condition=models.Q(series__isnull=True, part__isnull=True)
                | models.Q(series__isnull=False, part__isnull=False),
                name="series_and_part_together",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        strip_control_characters(self)
        rendered = markdown.render(self.body_markdown)
        self.body_html = rendered.html
        self.toc_html = rendered.toc_html
        self.reading_minutes = rendered.reading_minutes
        self.author_slug = slugify(self.author_name)[:100]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body_markdown" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "toc_html", "reading_minutes"}
        if update_fields is not None and "author_name" in update_fields:
            kwargs["update_fields"] = {*kwargs["update_fields"], "author_slug"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:post-detail", kwargs={"slug": self.slug})

    def get_author_url(self):
        """The author's page, or "" for a name with nothing to make an address from."""
        if not self.author_slug:
            return ""
        return reverse("blog:author", kwargs={"slug": self.author_slug})

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def comments_close_at(self):
        """When comments close automatically, or None if they never do."""
        if self.comments_policy != self.CommentsPolicy.DEFAULT:
            return None
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        return self.published_at + timedelta(days=days) if days else None

    @property
    def comments_open(self):
        """Whether readers may comment now: a public post, not closed by policy or by age."""
        if not self.is_public or self.comments_policy == self.CommentsPolicy.CLOSED:
            return False
        close_at = self.comments_close_at
        return close_at is None or timezone.now() < close_at

    def content_fingerprint(self, tag_slugs=None):
        """A hash of everything an author edits, to tell whether the admin changed the post."""
        if tag_slugs is None:
            tag_slugs = sorted(tag.slug for tag in self.tags.all()) if self.pk else []
        content = {
            "title": self.title,
            "series": self.series.slug if self.series else None,
            "part": self.part,
            "author": self.author_name,
            "summary": self.summary,
            "body": self.body_markdown,
            "status": self.status,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "tags": sorted(tag_slugs),
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def series_navigation(self):
        """Previous/next published parts and the full table of contents, for the post page."""
        if not self.series_id:
            return None
        parts = self.series.table_of_contents()
        by_number = dict(parts)
        return {
            "series": self.series,
            "parts": parts,
            "total": len(parts),
            "previous": by_number.get(self.part - 1),
            "next": by_number.get(self.part + 1),
        }
