"""Admin for series, posts, tags and site pages: search, filters, parts in order, and the
writing desk for posts and pages (a large editor with a live preview and warnings,
blog.admin_preview; every save kept as a revision, with diffs and restore,
blog.admin_revisions)."""

from django.contrib import admin
from reversion.admin import VersionAdmin

from blog.admin_preview import LivePreviewMixin
from blog.admin_revisions import RevisionsMixin  # registers Post and Page with reversion
from blog.models import Page, Post, Series, Tag


class PartInline(admin.TabularInline):
    model = Post
    fields = ["part", "title", "status", "published_at"]
    readonly_fields = ["title", "status", "published_at"]
    ordering = ["part"]
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name = "part"
    verbose_name_plural = "parts, in order"


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "planned_parts", "updated_at"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PartInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Post)
class PostAdmin(LivePreviewMixin, RevisionsMixin, VersionAdmin):
    list_display = ["title", "series", "part", "status", "published_at", "visibility"]
    list_filter = ["status", "series", "tags"]
    list_select_related = ["series"]
    search_fields = ["title", "summary", "body_markdown"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    # Tags are checkboxes (blog.admin_preview.LabelledCheckboxes): a short list, and unlike
    # the autocomplete box they need no script and pass axe-core.
    readonly_fields = ["rendered_preview", "reading_minutes", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "summary", "body_markdown", "rendered_preview"],
                "description": "The preview under the body follows your typing, rendered as "
                "readers will see it; its warnings (text the site would remove, broken links) "
                "never stop a save. Every save is kept: Revisions shows what changed and can "
                "restore an earlier text.",
            },
        ),
        ("Series", {"fields": ["series", "part"]}),
        (
            "Publishing",
            {
                "fields": ["status", "published_at", "author_name", "tags", "comments_policy"],
                "description": "Readers see a post once it is Published and its publish time "
                "has passed. Staff can open a draft at its URL to preview it.",
            },
        ),
        ("Record", {"fields": ["reading_minutes", "created_at", "updated_at"]}),
    ]

    @admin.display(description="visible to readers", boolean=True)
    def visibility(self, post):
        return post.is_public


@admin.register(Page)
class PageAdmin(LivePreviewMixin, RevisionsMixin, VersionAdmin):
    list_display = ["title", "slug", "updated_on", "updated_at"]
    search_fields = ["title", "summary", "body_markdown"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["rendered_preview", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "summary", "body_markdown", "rendered_preview"],
                "description": "Site pages (About, Privacy, Contact…) come from "
                "content/pages/*.md through sync_posts. A page edited here is kept as edited "
                "by later syncs unless they are run with --force. The preview under the body "
                "follows your typing; every save is kept (Revisions).",
            },
        ),
        ("Record", {"fields": ["updated_on", "created_at", "updated_at"]}),
    ]
