"""Template tag for the admin index: how many comments await moderation, linking to them."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from blog.models import Comment

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_comments_notice(context):
    request = context.get("request")
    if request is None or not request.user.has_perm("blog.change_comment"):
        return ""
    pending = Comment.objects.awaiting_moderation().count()
    url = reverse("admin:blog_comment_changelist") + f"?status={Comment.Status.PENDING}"
    if not pending:
        return format_html('<p class="comments-pending">No comments awaiting moderation.</p>')
    return format_html(
        '<p class="comments-pending"><a href="{}"><strong>{} comment{} awaiting moderation'
        "</strong></a></p>",
        url,
        pending,
        "" if pending == 1 else "s",
    )
