"""`{% follow_form series %}`: the small follow form on post and series pages.

The post page is cached whole for every reader (siteops.page_cache), so the form must be the
same bytes for all of them but for the CSRF token, which it handles as the comment form
does: rendered into the cache, the token is the cache's hole, filled per reader; rendered
live (series pages, personal post pages), a reader who has the CSRF cookie (or is getting it
from the comment form on the same page) gets their token, and one who has not gets an empty
one and no cookie (reading sets none): the form's script (static/js/form-token.js) fetches a
token once the reader starts on it. No query is made.
"""

from django import template
from django.conf import settings
from django.middleware.csrf import get_token

from siteops import page_cache
from subscriptions.forms import FollowForm

register = template.Library()


@register.inclusion_tag("subscriptions/_follow_form.html", takes_context=True)
def follow_form(context, series=None):
    request = context.get("request")
    post = context.get("post")
    if request is not None and page_cache.is_shared_render(request):
        token = page_cache.CSRF_HOLE
    elif request is not None and (
        settings.CSRF_COOKIE_NAME in request.COOKIES or (post is not None and post.comments_open)
    ):
        # A reader with the cookie gets their token; so does one on a live-rendered post page
        # with the comment form, whose own {% csrf_token %} gives the cookie anyway.
        token = get_token(request)
    else:
        token = ""
    return {"form": FollowForm(series=series), "series": series, "csrf_value": token}
