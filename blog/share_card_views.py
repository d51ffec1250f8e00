"""The share cards' addresses, /static/cards/…, for a card that is not a file yet.

nginx and whitenoise serve the cards `sync_posts` drew (blog.share_cards); a request reaches
this view only when the file is missing there: a title changed in the admin since the last
sync, or a server that did not run it. The card is drawn, kept and served with the same
year-long, immutable caching. Only the current card of a public post is drawn: an old
digest, a draft's or a scheduled post's card is a 404 here, so no title leaks before its
post does.
"""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from blog import share_cards
from blog.models import Post

IMMUTABLE = "public, max-age=31536000, immutable"


def _png(path):
    response = HttpResponse(path.read_bytes(), content_type="image/png")
    response["Cache-Control"] = IMMUTABLE
    return response


@require_safe
def post_card(request, slug, digest):
    post = Post.objects.published().select_related("series").filter(slug=slug).first()
    if post is None or share_cards.post_digest(post) != digest:
        raise Http404("No such card.")
    return _png(share_cards.ensure_post_card(post))


@require_safe
def site_card(request, digest):
    if share_cards.site_digest() != digest:
        raise Http404("No such card.")
    return _png(share_cards.ensure_site_card())
