"""Comment pages and actions: the post page's comment section, posting, the permalink, the
author's own edit/delete window, and the managers' emailed moderation link.

The blog knows none of this: its post template calls `{% comment_section post %}`
(comments.templatetags.comments), which asks `comment_context()` here; an invalid comment, or
one sent after comments closed, is shown again on the blog's own post page
(`blog.views.post_page`) with the form it sent. A comment sent without a usable CSRF token or
refused by flood control stores nothing and gets a small page of its own instead
(`comments.error_pages`).

Views stay thin: rules live in `comments.moderation` and on the models, and the browser's two
signed cookies (the commenter's details, the comments it wrote) in `comments.cookies`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.middleware import csrf
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views import View

from blog.models import Post
from blog.views import post_page
from comments.cookies import (
    own_comment_claims,
    owns,
    remember_author,
    remember_own_comment,
    remembered_author,
)
from comments.error_pages import minimal_refusal, refused_page
from comments.forms import FORM_USED, CommentEditForm, CommentForm, issue_timestamp
from comments.models import Comment
from comments.moderation import (
    CommentModerator,
    comment_for_moderation_token,
    moderate,
    notify_managers,
    notify_reply_subscribers,
)
from siteops import page_cache
from siteops.clients import client_hash
from siteops.rate_limits import too_many_requests

# --- The comment section of the post page --------------------------------------------------


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _comment_page(request, post):
    """The page of comments asked for (`?cpage=`); a number past the last page is a 404.

    The blog's view has already sent every other spelling of a number to its canonical one
    (blog.views.canonical_comment_page). Raised while the page renders, so no cache keeps it.
    """
    paginator = Paginator(Comment.objects.threads(post), settings.COMMENTS_PER_PAGE)
    try:
        return paginator.page(request.GET.get("cpage", 1))
    except InvalidPage:
        raise Http404("No such page of comments.") from None


@dataclass(frozen=True)
class CommentSubmission:
    """A comment form sent to this post and refused: shown again with everything typed."""

    post_pk: int
    form: CommentForm
    refused: bool = False  # comments closed while the commenter wrote


def comment_context(request, post) -> dict:
    """Everything the post page shows about comments, in a constant number of queries.

    Worked out once per request and post: the count in the byline and the section share it.
    """
    known = request.__dict__.setdefault("_comment_contexts", {})
    key = (post.pk, page_cache.is_shared_render(request))
    if key not in known:
        known[key] = _comment_context(request, post)
    return known[key]


def _comment_context(request, post) -> dict:
    submission = getattr(request, "comment_submission", None)
    form = submission.form if submission and submission.post_pk == post.pk else None
    page = _comment_page(request, post)
    threads = list(page.object_list)
    replies = {}
    if threads:
        for reply in Comment.objects.public().filter(parent__in=threads).order_by("created_at"):
            replies.setdefault(reply.parent_id, []).append(reply)
    for comment in threads:
        comment.visible_replies = replies.get(comment.pk, [])
        for shown in [comment, *comment.visible_replies]:
            shown.post = post  # their permalinks need the post: no query per comment
    claims = own_comment_claims(request)
    held = [c for c in Comment.objects.held_for(post, list(claims)) if owns(claims, c)]
    now = timezone.now()
    editable = {
        comment.pk
        for comment in [*threads, *(r for rs in replies.values() for r in rs), *held]
        if owns(claims, comment) and comment.can_be_changed_by_author(now)
    }
    remembered = remembered_author(request)
    reply_to = None
    if post.comments_open:
        if form is None:
            reply_to_id = _int_or_none(request.GET.get("replyto"))
            # On a page stored for every reader the timestamp is a hole, filled per response.
            timestamp = page_cache.per_reader(
                request, "comment-timestamp", post.pk, lambda: issue_timestamp(post.pk)
            )
            form = CommentForm(
                post=post,
                initial={**remembered, "parent": reply_to_id, "timestamp": timestamp},
            )
        else:
            reply_to_id = _int_or_none(form.data.get("parent"))
        if reply_to_id is not None:
            reply_to = Comment.objects.threads(post).filter(pk=reply_to_id).first()
            if reply_to is None and not form.is_bound:
                form.initial["parent"] = None
    personal = bool(claims or remembered)
    if personal:
        # The page now shows this browser's own data, so no shared cache may keep it.
        page_cache.mark_personal(request)
    return {
        "post": post,
        "comment_form": form,
        "comment_refused": bool(form is not None and submission and submission.refused),
        "comment_page": page,
        "comment_count": Comment.objects.public().filter(post=post).count(),
        "held_comments": held,
        "editable_comment_ids": editable,
        "reply_to": reply_to,
        "comments_personal": personal,
    }


def render_post_page(request, post, form, status, refused=False):
    """The post page again, with the submitted form (errors and everything typed) in it.

    The blog renders its page; `{% comment_section %}` finds the form on the request.
    """
    request.comment_submission = CommentSubmission(post.pk, form, refused)
    response = post_page(request, post, status=status)
    add_never_cache_headers(response)
    return response


# --- Posting a comment ---------------------------------------------------------------------


class CommentCreateView(View):
    http_method_names = ["get", "post"]

    def get(self, request, slug):
        # People land here after a failed post and a reload: send them to the post.
        post = get_object_or_404(Post.objects.published(), slug=slug)
        return redirect(post.get_absolute_url() + "#leave-a-comment")

    def post(self, request, slug):
        # A network past its error pages this minute is answered before any query.
        limited = minimal_refusal(request)
        if limited is not None:
            return limited
        post = get_object_or_404(Post.objects.published(), slug=slug)
        form = CommentForm(request.POST, post=post)
        if not post.comments_open:
            return render_post_page(request, post, form, status=403, refused=True)
        if not form.is_valid():
            return render_post_page(request, post, form, status=400)
        ip_hash = client_hash(request)
        outcome = CommentModerator.from_settings().receive(form.submission(ip_hash))
        if outcome.refusal:
            return refused_page(request, post, form, outcome.refusal)
        if outcome.form_used:
            form.add_error(None, FORM_USED)
            form.data["timestamp"] = issue_timestamp(post.pk)  # sent again, it goes through
            return render_post_page(request, post, form, status=400)
        comment = outcome.comment
        if outcome.is_new:
            notify_managers(comment)
            if comment.parent_id and comment.is_public:  # a reply approved on arrival
                notify_reply_subscribers([comment.pk])
        response = redirect(comment.location())
        remember_author(request, response, form)
        # A repeat earns the earlier comment's ownership only from the same network, so knowing
        # someone's email and text is not enough to take over their comment.
        if outcome.is_new or comment.ip_hash == ip_hash:
            remember_own_comment(request, response, comment)
        return response


# --- The form's CSRF token, for readers who came only to read --------------------------------


class CommentTokenView(View):
    """Hands the comment form its CSRF token (and the browser its cookie) when it is needed.

    Cached post pages carry no token for a reader without a CSRF cookie, so that reading sets
    no cookie; the page's script asks here once the reader starts on the form.
    """

    http_method_names = ["get"]

    def get(self, request):
        response = JsonResponse({"token": csrf.get_token(request)})
        add_never_cache_headers(response)
        return response


class CommentPermalinkView(View):
    """/blog/<slug>/comments/<id>/: a stable link that finds the page now showing the comment."""

    def get(self, request, slug, pk):
        comment = get_object_or_404(
            Comment.objects.public().select_related("post", "parent"), pk=pk, post__slug=slug
        )
        return redirect(comment.location())


# --- The author's own comment, for a short while --------------------------------------------


class OwnCommentView(View):
    template_name = ""

    def dispatch(self, request, slug, pk):
        self.comment = get_object_or_404(
            Comment.objects.select_related("post").filter(post__in=Post.objects.published()),
            pk=pk,
            post__slug=slug,
        )
        allowed = (
            owns(own_comment_claims(request), self.comment)
            and self.comment.can_be_changed_by_author()
        )
        if not allowed:
            response = render(
                request, "comments/too_late.html", {"comment": self.comment}, status=403
            )
        else:
            response = super().dispatch(request, slug, pk)
        add_never_cache_headers(response)
        return response

    def page(self, request, form=None, status=200):
        context = {"comment": self.comment, "post": self.comment.post, "form": form}
        return render(request, self.template_name, context, status=status)


class CommentEditView(OwnCommentView):
    template_name = "comments/edit.html"

    def get(self, request, slug, pk):
        return self.page(request, CommentEditForm(instance=self.comment))

    def post(self, request, slug, pk):
        form = CommentEditForm(request.POST, instance=self.comment)
        if not form.is_valid():
            return self.page(request, form, status=400)
        moderator = CommentModerator.from_settings()
        ip_hash = client_hash(request)
        refusal = moderator.edit_refusal(self.comment, ip_hash)
        if refusal:
            form.add_error(None, refusal.message)
            return too_many_requests(self.page(request, form, status=429), refusal)
        comment = form.save(commit=False)
        verdict = moderator.verdict_on_edit(comment)
        comment.status, comment.moderation_reason = verdict.status, verdict.reason
        comment.edited_at = moderator.now
        with transaction.atomic():
            comment.save()
            moderator.record_edit(comment, ip_hash)
        messages.success(request, "Your comment was updated.")
        return redirect(comment.location())


class CommentDeleteView(OwnCommentView):
    template_name = "comments/delete.html"

    def get(self, request, slug, pk):
        return self.page(request)

    def post(self, request, slug, pk):
        comment = self.comment
        comment.status = Comment.Status.REMOVED
        comment.moderation_reason = "Deleted by its author."
        comment.save(update_fields=["status", "moderation_reason"])
        messages.success(request, "Your comment was deleted.")
        return redirect(comment.post.get_absolute_url() + "#comments")


# --- The managers' emailed link ---------------------------------------------------------------


class CommentModerateView(View):
    """A confirmation page: opening the link changes nothing (mail scanners follow links)."""

    ACTIONS = {
        "approve": (Comment.Status.APPROVED, "Approved"),
        "spam": (Comment.Status.SPAM, "Marked as spam"),
        "remove": (Comment.Status.REMOVED, "Removed"),
    }

    def dispatch(self, request, pk, token):
        self.comment = comment_for_moderation_token(pk, token)
        if self.comment is None:
            response = render(request, "comments/moderate_invalid.html", status=404)
        else:
            response = super().dispatch(request, pk, token)
        add_never_cache_headers(response)
        return response

    def get(self, request, pk, token):
        return render(request, "comments/moderate.html", {"comment": self.comment})

    def post(self, request, pk, token):
        action = self.ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            return HttpResponseBadRequest("Choose approve, spam or remove.")
        status, label = action
        comments = Comment.objects.filter(pk=self.comment.pk)
        moderate(comments, status, f"{label} from the emailed moderation link.")
        messages.success(request, f"{label}: the comment by {self.comment.name}.")
        return redirect(request.path)
