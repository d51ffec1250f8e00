"""Site pages (About, Privacy, Contact…): kept as Markdown in content/pages/, served at /<slug>/.

Like a post, a page's Markdown is rendered and sanitised once, in `save()`, by blog.markdown.
Pages live at the site's root, so a slug that the site's other addresses begin with (blog,
compare, admin, healthz…) is refused by `validate_page_slug`, in the admin as in sync_posts;
and the page route comes after every other, so even a row written around the validator
could never hide another page.
"""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from blog import markdown

from .posts import fixed_first_segments, strip_control_characters

# Not routes of the URLconf, but addresses the site uses or has promised (DESIGN.md's
# /search/), and the admin's usual place even when DJANGO_ADMIN_URL has moved it.
ALWAYS_RESERVED = frozenset({"admin", "media", "search", "static"})


def reserved_page_slugs() -> set[str]:
    static = settings.STATIC_URL.strip("/").split("/")[0]
    return {*ALWAYS_RESERVED, static, *fixed_first_segments()}


def validate_page_slug(value):
    if value in reserved_page_slugs():
        raise ValidationError(
            f"the slug {value!r} is reserved: /{value}/ belongs to another part of the site"
        )


class Page(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[validate_page_slug],
        help_text="The page's address: /<slug>/ (not one the site already uses, like blog).",
    )
    summary = models.TextField(
        max_length=300,
        blank=True,
        help_text="One or two sentences under the title, and for search-engine snippets.",
    )
    body_markdown = models.TextField(
        "body", help_text="Markdown: ## headings, lists, tables, links, footnotes ([^1])."
    )
    body_html = models.TextField(editable=False, default="")
    updated_on = models.DateField(
        "last updated",
        default=timezone.localdate,
        help_text="Shown on the page as “Last updated”: change it when the text changes in "
        "substance.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by sync_posts, as for posts: the file's hash and the fingerprint of what it wrote,
    # so an admin edit (fingerprint changed) is never silently overwritten.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    synced_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        strip_control_characters(self)
        self.body_html = markdown.render(self.body_markdown).html
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body_markdown" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("page", kwargs={"slug": self.slug})

    def content_fingerprint(self):
        """A hash of everything an author edits, to tell whether the admin changed the page."""
        content = {
            "title": self.title,
            "summary": self.summary,
            "body": self.body_markdown,
            "updated_on": self.updated_on.isoformat() if self.updated_on else None,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
