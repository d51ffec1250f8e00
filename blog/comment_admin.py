"""Admin for comments and the spam block list: the moderation queue and GDPR erasure.

The changelist is the queue: newest first, filtered by status and post, searchable by name,
email and text, with bulk approve / mark as spam / remove. "Erase everything from these
commenters" deletes every comment sharing an email with the selection, for erasure requests.
The pending count is shown on the admin index (templates/admin/index.html).
"""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog.models import BlockedTerm, Comment


class StatusCountFilter(admin.SimpleListFilter):
    """Status filter whose choices show how many comments each status holds."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(
            Comment.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        )
        return [
            (value, f"{label} ({counts.get(value, 0)})") for value, label in Comment.Status.choices
        ]

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "name", "email", "post", "status", "created_at", "reason"]
    list_display_links = ["excerpt"]
    list_filter = [StatusCountFilter, "post"]
    list_select_related = ["post"]
    search_fields = ["name", "email", "body"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    list_per_page = 50
    actions = ["approve", "mark_spam", "remove", "erase_commenters"]
    raw_id_fields = ["post", "parent"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["rendered", "ip_hash", "created_at", "edited_at", "moderation_reason"]
    fieldsets = [
        (None, {"fields": ["post", "parent", "status", "moderation_reason"]}),
        ("Commenter", {"fields": ["name", "email", "website"]}),
        ("Comment", {"fields": ["body", "rendered"]}),
        (
            "Record",
            {
                "fields": ["created_at", "edited_at", "ip_hash"],
                "description": "Only a keyed hash of the IP address is stored, for flood "
                "control; the address itself is never kept.",
            },
        ),
    ]

    @admin.display(description="comment")
    def excerpt(self, comment):
        return comment.excerpt()

    @admin.display(description="why")
    def reason(self, comment):
        return comment.moderation_reason

    @admin.display(description="as readers see it")
    def rendered(self, comment):
        # body_html was sanitised with the comment allowlist (nh3) when the comment was saved.
        return format_html('<div class="comment-preview">{}</div>', mark_safe(comment.body_html))

    def _set_status(self, request, queryset, status, label):
        updated = queryset.update(status=status, moderation_reason=f"{label} by a moderator.")
        self.message_user(request, f"{label}: {updated} comment(s).", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.APPROVED, "Approved")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.SPAM, "Marked as spam")

    @admin.action(description="Remove selected comments (hide them)", permissions=["change"])
    def remove(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.REMOVED, "Removed")

    @admin.action(
        description="Erase every comment by these commenters' emails (GDPR)",
        permissions=["delete"],
    )
    def erase_commenters(self, request, queryset):
        emails = set(queryset.values_list("email", flat=True))
        deleted, _ = Comment.objects.filter(email__in=emails).delete()
        self.message_user(
            request,
            f"Erased {deleted} comment(s) by {len(emails)} commenter(s). Replies by other "
            "people were kept.",
            messages.SUCCESS,
        )


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["phrase", "created_at"]
    search_fields = ["phrase"]
