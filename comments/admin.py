"""Admin for comments and the spam block list: the moderation queue, replies from the site, and
GDPR erasure.

The changelist is the queue. It opens on Pending ("All" is its own explicit choice), newest
first, one row per comment: a status badge, what readers see (the sanitised HTML as text, never
the Markdown), the commenter, the post, the date, and one-click Approve / Spam / Remove buttons
beside the bulk actions. Both kinds of decision go through `comments.moderation.moderate()`.
"Reply" opens a form whose reply is published at once as the site's (`by_site`). "Erase every
comment by these commenters' emails" deletes every comment sharing an email with the
selection, and every email subscription of those addresses, for erasure requests. The pending
count is on the admin index (templates/admin/index.html). docs/comments.md describes it all.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from comments.forms import SiteReplyForm
from comments.models import BlockedTerm, Comment
from comments.moderation import moderate, notify_reply_subscribers, reply_from_the_site
from subscriptions.following import erase_addresses

# A moderator's decisions, by the name in their URL: the status and the word for the message.
DECISIONS = {
    "approve": (Comment.Status.APPROVED, "Approved"),
    "spam": (Comment.Status.SPAM, "Marked as spam"),
    "remove": (Comment.Status.REMOVED, "Removed"),
}
ALL = "all"


def queue_url(status=Comment.Status.PENDING):
    return reverse("admin:comments_comment_changelist") + f"?status={status}"


class StatusCountFilter(admin.SimpleListFilter):
    """Status filter whose choices show how many comments each status holds.

    The queue opens on Pending, so "All" cannot be the absence of the parameter (that now
    redirects to Pending): it is `?status=all`, a choice like the others.
    """

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(
            Comment.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        )
        self.total = sum(counts.values())
        return [
            (value, f"{label} ({counts.get(value, 0)})") for value, label in Comment.Status.choices
        ]

    def choices(self, changelist):
        everything, *statuses = super().choices(changelist)
        everything.update(
            selected=self.value() == ALL,
            query_string=changelist.get_query_string({self.parameter_name: ALL}),
            display=f"All ({self.total})",
        )
        return [everything, *statuses]

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class ModerationQueue(ChangeList):
    """The changelist, telling each row where the queue is, so its buttons can come back."""

    def get_results(self, request):
        super().get_results(request)
        here = request.get_full_path()
        for comment in self.result_list:
            comment.queue_url = here


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["commenter", "comment", "status_badge", "submitted"]
    # The comment column links to the change page itself: its buttons cannot sit in a link.
    list_display_links = None
    list_filter = [StatusCountFilter, "post"]
    list_select_related = ["post", "parent"]
    search_fields = ["name", "email", "body"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    actions = ["approve", "mark_spam", "remove", "erase_commenters"]
    raw_id_fields = ["post", "parent"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # What the site records about a comment: shown, never edited.
    record_fields = ["by_site", "created_at", "edited_at", "reply_notified_at", "ip_hash"]
    readonly_fields = ["rendered", "moderation_reason", *record_fields]
    fieldsets = [
        (None, {"fields": ["post", "parent", "status", "moderation_reason"]}),
        ("Commenter", {"fields": ["name", "email", "website", "notify_on_reply"]}),
        ("Comment", {"fields": ["body", "rendered"]}),
        (
            "Record",
            {
                "fields": record_fields,
                "description": "Only a keyed hash of the IP address is stored, for flood "
                "control; the address itself is never kept.",
            },
        ),
    ]

    # --- The queue ------------------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return ModerationQueue

    def changelist_view(self, request, extra_context=None):
        """Open on Pending: a queue without a status filter redirects there, keeping the rest."""
        wants_default = (
            request.method == "GET"
            and StatusCountFilter.parameter_name not in request.GET
            and IS_POPUP_VAR not in request.GET  # choosing a parent comment: every status
        )
        if wants_default:
            query = request.GET.copy()
            query[StatusCountFilter.parameter_name] = Comment.Status.PENDING
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)

    @admin.display(description="commenter", ordering="name")
    def commenter(self, comment):
        return format_html(
            '<span class="moderation-name">{}</span>{}<span class="moderation-email">{}</span>',
            comment.name,
            mark_safe(' <span class="moderation-site">site</span>') if comment.by_site else "",
            comment.email,
        )

    @admin.display(description="comment")
    def comment(self, comment):
        """What readers see, where it is, and what to do with it, as WordPress lays it out."""
        back = getattr(comment, "queue_url", "")
        return format_html(
            '<a class="moderation-excerpt" href="{}">{}</a>'
            '<span class="moderation-where">on <a href="{}">{}</a>{}</span>{}',
            self._change_url(comment, back),
            # Text taken from body_html (sanitised on save), escaped here: never Markdown.
            comment.excerpt(160),
            comment.post.get_absolute_url(),
            comment.post.title,
            format_html(
                ' · <span class="moderation-note">in reply to {}</span>', comment.parent.name
            )
            if comment.parent_id
            else "",
            self._controls(comment, back),
        )

    @admin.display(description="status", ordering="status")
    def status_badge(self, comment):
        return format_html(
            '<span class="moderation-badge moderation-badge-{}">{}</span>'
            '<span class="moderation-reason">{}</span>',
            comment.status,
            comment.get_status_display(),
            comment.moderation_reason,
        )

    @admin.display(description="submitted", ordering="created_at")
    def submitted(self, comment):
        when = localtime(comment.created_at)
        return format_html(
            '<time datetime="{}">{}</time>', when.isoformat(), format_date(when, "j M Y, H:i")
        )

    @staticmethod
    def _change_url(comment, back):
        """The change page, which returns to the queue as it was (the admin's own convention)."""
        url = reverse("admin:comments_comment_change", args=[comment.pk])
        query = urlsplit(back).query
        return f"{url}?{urlencode({'_changelist_filters': query})}" if query else url

    @staticmethod
    def _controls(comment, back):
        """One-click buttons for the other statuses, and the reply link.

        The rows sit inside the bulk actions' form, and forms cannot nest, so the buttons
        submit one small form outside it (`form=`, with its CSRF token and the queue's
        address, in admin/comments/comment/change_list.html), each to its own URL (`formaction`).
        """
        buttons = format_html_join(
            "",
            '<button type="submit" form="comment-moderation-form" formaction="{}" '
            'class="button moderation-button moderation-button-{}" '
            'aria-label="{} the comment by {}">{}</button>',
            (
                (
                    reverse("admin:comments_comment_moderate", args=[comment.pk, decision]),
                    decision,
                    decision.capitalize(),
                    comment.name,
                    decision.capitalize(),
                )
                for decision, (status, _) in DECISIONS.items()
                if status != comment.status
            ),
        )
        reply = reverse("admin:comments_comment_reply", args=[comment.pk])
        if back:
            reply += "?" + urlencode({"next": back})
        return format_html(
            '<span class="moderation-controls">{}<a class="moderation-reply" href="{}" '
            'aria-label="Reply to {} as the site">Reply</a></span>',
            buttons,
            reply,
            comment.name,
        )

    # --- Decisions: one-click buttons and bulk actions, one path ----------------------------

    def _decide(self, queryset, decision) -> int:
        status, label = DECISIONS[decision]
        return moderate(queryset, status, f"{label} by a moderator.")

    def _decide_in_bulk(self, request, queryset, decision):
        moved = self._decide(queryset, decision)
        label = DECISIONS[decision][1]
        self.message_user(request, f"{label}: {moved} comment(s).", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._decide_in_bulk(request, queryset, "approve")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._decide_in_bulk(request, queryset, "spam")

    @admin.action(description="Remove selected comments (hide them)", permissions=["change"])
    def remove(self, request, queryset):
        self._decide_in_bulk(request, queryset, "remove")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/moderate/<slug:decision>/",
                view(self.moderate_view),
                name="comments_comment_moderate",
            ),
            path("<int:pk>/reply/", view(self.reply_view), name="comments_comment_reply"),
            *super().get_urls(),
        ]

    def _next_or_queue(self, request):
        """Back where the moderator was (the queue with its filters), if that is this site."""
        target = request.POST.get("next") or request.GET.get("next") or ""
        allowed = url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return target if allowed else queue_url()

    def moderate_view(self, request, pk, decision):
        """A one-click decision: POST only, by staff who may change comments."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        if decision not in DECISIONS:
            raise Http404("No such decision.")
        comment = get_object_or_404(Comment, pk=pk)
        self._decide(Comment.objects.filter(pk=pk), decision)
        label = DECISIONS[decision][1]
        self.message_user(request, f"{label}: the comment by {comment.name}.", messages.SUCCESS)
        return HttpResponseRedirect(self._next_or_queue(request))

    # --- Replies from the site --------------------------------------------------------------

    def reply_view(self, request, pk):
        """Reply as the site: published at once, under the comment's thread, marked as ours."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment.objects.select_related("post", "parent"), pk=pk)
        thread = comment.parent or comment  # where the reply goes, as readers' replies do
        may_approve = comment.status != Comment.Status.APPROVED and self.has_change_permission(
            request, comment
        )
        back = self._next_or_queue(request)
        name = request.user.get_full_name().strip() or comment.post.author_name
        form = SiteReplyForm(
            request.POST if request.method == "POST" else None,
            initial={"name": name},
            may_approve=may_approve,
        )
        if form.is_valid():
            if form.cleaned_data.get("approve"):
                moderate(
                    Comment.objects.filter(pk=comment.pk),
                    Comment.Status.APPROVED,
                    "Approved by a moderator, with a reply from the site.",
                )
            reply = reply_from_the_site(
                comment,
                name=form.cleaned_data["name"],
                body=form.cleaned_data["body"],
                email=request.user.email or settings.DEFAULT_FROM_EMAIL,
                by=request.user.get_username(),
            )
            self.message_user(
                request,
                format_html(
                    'Your reply to {} is published: <a href="{}">see it on the post</a>.',
                    comment.name,
                    reply.get_absolute_url(),
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reply to {comment.name} as the site",
            "comment": comment,
            "thread": thread,
            "thread_hidden": thread != comment and thread.status != Comment.Status.APPROVED,
            "form": form,
            "next": back,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Approving a reply on its change page tells its parent's author, as the queue does.
        if obj.status == Comment.Status.APPROVED:
            notify_reply_subscribers([obj.pk])

    # --- The rest -------------------------------------------------------------------------

    @admin.display(description="as readers see it")
    def rendered(self, comment):
        # body_html was sanitised with the comment allowlist (nh3) when the comment was saved.
        return format_html('<div class="comment-preview">{}</div>', mark_safe(comment.body_html))

    @admin.action(
        description="Erase every comment by these commenters' emails (GDPR)",
        permissions=["delete"],
    )
    def erase_commenters(self, request, queryset):
        emails = set(queryset.values_list("email", flat=True))
        _, deleted = Comment.objects.filter(email__in=emails).delete()
        # What these addresses follow by email (and the replies emailed to them) goes too.
        followed = erase_addresses(emails)
        self.message_user(
            request,
            f"Erased {deleted.get(Comment._meta.label, 0)} comment(s) by {len(emails)} "
            f"commenter(s), and {followed} email subscription(s) of theirs. Replies by other "
            "people were kept.",
            messages.SUCCESS,
        )


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["phrase", "created_at"]
    search_fields = ["phrase"]
