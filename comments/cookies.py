"""The browser's side of commenting: two signed cookies, one remembering the commenter's details
(only when they tick the box) and one proving which comments this browser wrote (for the
"awaiting moderation" preview and the 15-minute edit window; no account needed). Used by
comments.views; the app's config names both as personal to the page cache.
"""

import json

from django.conf import settings
from django.utils.crypto import constant_time_compare

OWN_COOKIE, OWN_SALT, OWN_LIMIT = "comments_own", "blog.comments.own", 20
OWN_MAX_AGE = 7 * 24 * 3600  # how long a held comment's author sees its preview
AUTHOR_COOKIE, AUTHOR_SALT = "comment_author", "blog.comments.author"
AUTHOR_MAX_AGE = 365 * 24 * 3600


def _set_cookie(response, key, value, salt, max_age):
    response.set_signed_cookie(
        key,
        value,
        salt=salt,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def own_comment_claims(request) -> dict[int, str]:
    """The comments this browser says it wrote: id -> that comment's secret (`owner_token`).

    A claim counts only where the secret matches the comment's (`owns()`): the cookie is signed,
    but ids can be issued again (a restore), and an old cookie must not reach a new comment.
    Cookies from before the secrets (ids alone) claim nothing.
    """
    value = request.get_signed_cookie(OWN_COOKIE, default="", salt=OWN_SALT, max_age=OWN_MAX_AGE)
    claims = {}
    for part in value.split(".")[-OWN_LIMIT:]:
        pk, _, token = part.partition(":")
        if pk.isdigit() and token:
            claims[int(pk)] = token
    return claims


def owns(claims: dict[int, str], comment) -> bool:
    return constant_time_compare(claims.get(comment.pk, ""), comment.owner_token)


def remember_own_comment(request, response, comment):
    claims = {pk: token for pk, token in own_comment_claims(request).items() if pk != comment.pk}
    claims[comment.pk] = comment.owner_token
    value = ".".join(f"{pk}:{token}" for pk, token in list(claims.items())[-OWN_LIMIT:])
    _set_cookie(response, OWN_COOKIE, value, OWN_SALT, OWN_MAX_AGE)


def remembered_author(request) -> dict:
    value = request.get_signed_cookie(
        AUTHOR_COOKIE, default="", salt=AUTHOR_SALT, max_age=AUTHOR_MAX_AGE
    )
    try:
        details = json.loads(value) if value else {}
    except ValueError:
        return {}
    if not isinstance(details, dict):
        return {}
    kept = {key: details[key] for key in ("name", "email", "website") if key in details}
    return {**kept, "remember": True} if kept else {}


def remember_author(request, response, form):
    """Store the details only when the commenter asked; unticking the box forgets them."""
    if form.cleaned_data["remember"]:
        _set_cookie(
            response, AUTHOR_COOKIE, json.dumps(form.author_details()), AUTHOR_SALT, AUTHOR_MAX_AGE
        )
    elif AUTHOR_COOKIE in request.COOKIES:
        response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")
