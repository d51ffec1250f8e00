"""Admin for series, posts, tags and site pages: search, filters, rendered previews, parts in
order."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog import comment_admin  # noqa: F401  (registers the comment and block-list admins)
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
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "part", "status", "published_at", "visibility"]
    list_filter = ["status", "series", "tags"]
    list_select_related = ["series"]
    search_fields = ["title", "summary", "body_markdown"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    readonly_fields = ["rendered_preview", "reading_minutes", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body_markdown", "rendered_preview"]}),
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

    @admin.display(description="Rendered preview (as last saved)")
    def rendered_preview(self, post):
        if not post.pk:
            return "Save the post to see it rendered."
        # body_html was sanitised with the nh3 allowlist when the post was saved.
        return format_html('<div class="post-preview">{}</div>', mark_safe(post.body_html))

    @admin.display(description="visible to readers", boolean=True)
    def visibility(self, post):
        return post.is_public


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
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
                "by later syncs unless they are run with --force.",
            },
        ),
        ("Record", {"fields": ["updated_on", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Rendered preview (as last saved)")
    def rendered_preview(self, page):
        if not page.pk:
            return "Save the page to see it rendered."
        # body_html was sanitised with the nh3 allowlist when the page was saved.
        return format_html('<div class="post-preview">{}</div>', mark_safe(page.body_html))
