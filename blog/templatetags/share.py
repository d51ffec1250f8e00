"""Template tags for templates/blog/_meta.html: what a page gives chat apps and search
engines when it is shared or indexed.

`{% share_card as card %}`: the post's share card on a post page, else the site's
(blog.share_cards). `{% structured_data %}`: the page's JSON-LD (blog.structured_data): an
Article and its breadcrumbs on a post page, breadcrumbs on a series page, the WebSite
with its search action on the home page. Both read only what the page has loaded already.
"""

from django import template
from django.utils.safestring import mark_safe

from blog import share_cards, structured_data
from blog.models import Post, Series

register = template.Library()


def _post(context):
    post = context.get("post")
    return post if isinstance(post, Post) else None


@register.simple_tag(takes_context=True)
def share_card(context):
    post = _post(context)
    return share_cards.post_card(post) if post else share_cards.site_card()


def structured_data_for_page(context):
    post, series = _post(context), context.get("series")
    if post:
        found = [structured_data.article(post), structured_data.post_breadcrumbs(post)]
    elif isinstance(series, Series):
        found = [structured_data.breadcrumbs((series.title, series.get_absolute_url()))]
    elif context.get("meta_path") == "/":
        found = [structured_data.website()]
    else:
        found = []
    return mark_safe("\n".join(structured_data.as_script(data) for data in found))


register.simple_tag(structured_data_for_page, takes_context=True, name="structured_data")
