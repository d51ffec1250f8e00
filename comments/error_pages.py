"""The cheap answers to a comment POST that stores nothing: one without a usable CSRF token
(through `siteops.csrf_failures`) and one refused by flood control (429).

Neither needs the post page around it, and neither needs a real reader (a token is not even
asked for), so each gets a small page of its own: the message, the form with everything typed
(the same include as the post page's, with a fresh CSRF token and the signed timestamp the
form's own checks re-issue), "Send again", and a link back to the post. A comment is never
lost to them.

They are also counted per network (`siteops.clients.client_hash`) in the cache, never the
database, so counting costs no write: past COMMENTS_MAX_ERROR_PAGES_PER_MINUTE, any comment
POST from that network gets `minimal_refusal()` until the minute is over: a few lines of HTML
with Retry-After, no template, no query. The count is per fixed minute of the clock, so a
network can get up to twice the limit across a minute's turn; the limit is a generous one
against load, not a rule a person meets.
"""

import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from blog.models import Post
from comments.forms import CommentForm
from siteops.clients import client_hash
from siteops.csrf_failures import TOKEN_NEEDED
from siteops.rate_limits import Refusal, too_many_requests

WINDOW_SECONDS = 60

MINIMAL_REFUSAL = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many requests</title>'
    "</head><body><h1>Too many requests</h1><p>This site has answered more comments from your "
    "network in the last minute than it answers. Please wait {wait} seconds, then send yours "
    "again: your browser's Back button returns to the form with what you typed.</p>"
    "</body></html>"
)


# --- Counting them, per network ---------------------------------------------------------


def _window(now: float) -> tuple[str, int]:
    """The current minute's number and the whole seconds until the next one begins."""
    minute = int(now // WINDOW_SECONDS)
    return str(minute), max(1, math.ceil((minute + 1) * WINDOW_SECONDS - now))


def _key(request, minute: str) -> str:
    return f"comments:error-pages:{client_hash(request)}:{minute}"


def minimal_refusal(request) -> HttpResponse | None:
    """The minimal 429 if this network had its fill of error pages this minute, else None."""
    minute, wait = _window(timezone.now().timestamp())
    if cache.get(_key(request, minute), 0) < settings.COMMENTS_MAX_ERROR_PAGES_PER_MINUTE:
        return None
    response = HttpResponse(MINIMAL_REFUSAL.format(wait=wait), status=429)
    response["Retry-After"] = str(wait)
    add_never_cache_headers(response)
    return response


def _count(request) -> None:
    minute, _ = _window(timezone.now().timestamp())
    key = _key(request, minute)
    # add() then incr(): both atomic in Redis, so servers answering at once count each other.
    if not cache.add(key, 1, WINDOW_SECONDS + 1):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two: this is the minute's first
            cache.add(key, 1, WINDOW_SECONDS + 1)


# --- The small page -----------------------------------------------------------------------


def not_posted_page(request, post, form, *, status, heading, retry_after=None, closed=False):
    """The comment back on a page of its own, counted against the network's error pages."""
    _count(request)
    parent = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    if parent is not None:
        parent.post = post  # its permalink needs the post's slug: no query
    context = {
        "post": post,
        "form": form,
        "heading": heading,
        "reply_to": parent,
        "retry_after": retry_after,
        "closed": closed,
    }
    response = render(request, "comments/not_posted.html", context, status=status)
    add_never_cache_headers(response)
    return response


def refused_page(request, post, form, refusal: Refusal):
    """Flood control's 429: the message, the real wait (as Retry-After), the comment kept."""
    form.add_error(None, refusal.message)
    page = not_posted_page(
        request,
        post,
        form,
        status=429,
        heading="Please wait a little, then send your comment again",
        retry_after=refusal.retry_after_seconds,
    )
    return too_many_requests(page, refusal)


def token_problem(request):
    """The handler for "comments:create" (siteops.csrf_failures): the form without a usable
    token comes back to be sent again, or, if comments closed meanwhile, its text to copy.
    A post that does not exist (or is not public) gets Django's plain refusal."""
    limited = minimal_refusal(request)
    if limited is not None:
        return limited
    slug = request.resolver_match.kwargs.get("slug")
    post = Post.objects.published().filter(slug=slug).first()
    if post is None:
        return None
    form = CommentForm(request.POST, post=post)
    if not post.comments_open:
        heading = "Comments on this post are closed"
        return not_posted_page(request, post, form, status=403, heading=heading, closed=True)
    form.is_valid()  # every problem shown at once, and a timestamp re-issued if it must be
    form.add_error(None, TOKEN_NEEDED)
    heading = "Please send your comment again"
    return not_posted_page(request, post, form, status=403, heading=heading)
