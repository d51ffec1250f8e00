"""Structured data for search engines and chat apps: schema.org JSON-LD, as plain dicts.

`article()` for a post (headline, description, author with their page, dates, the share
card, the page it is the main entity of, the series it is part of), `breadcrumbs()` for a
trail (Home, Articles, series, post), `website()` for the home page with its search
action. Every address is absolute, from SITE_URL. `as_script()` writes a `<script
type="application/ld+json">` with `<`, `>` and `&` escaped as JSON escapes (as Django's
`json_script` does), so no title can close the element: the browser never runs it as script
(a data block, which the CSP does not govern) and never parses markup inside it.

Used by the `{% structured_data %}` tag (blog/templatetags/share.py) in templates/blog/_meta.html.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from blog.share_cards import post_card

# The same escapes as django.utils.html.json_script: the JSON means the same, but the text
# holds no `<` (so no `</script>` or `<!--`), no `>` and no `&`.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def on_site(path: str) -> str:
    return settings.SITE_URL + path


def article(post) -> dict:
    """A post as a schema.org Article (its series and tags loaded)."""
    url = on_site(post.get_absolute_url())
    card = post_card(post)
    author = {"@type": "Person", "name": post.author_name}
    if post.get_author_url():
        author["url"] = on_site(post.get_author_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": post.title,
        "description": post.summary,
        "author": author,
        "datePublished": post.published_at.isoformat(),
        "dateModified": post.updated_at.isoformat(),
        "image": {
            "@type": "ImageObject",
            "url": card.url,
            "width": card.width,
            "height": card.height,
        },
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": on_site("/")},
    }
    keywords = [tag.name for tag in post.tags.all()]
    if keywords:
        data["keywords"] = keywords
    if post.series_id:
        data["isPartOf"] = {
            "@type": "CreativeWorkSeries",
            "name": post.series.title,
            "url": on_site(post.series.get_absolute_url()),
        }
        data["position"] = post.part
    return data


def breadcrumbs(*trail) -> dict:
    """A BreadcrumbList of (name, path) pairs, from Home and Articles to the page itself."""
    crumbs = [("Home", "/"), ("Articles", reverse("blog:post-list")), *trail]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": on_site(path)}
            for number, (name, path) in enumerate(crumbs, start=1)
        ],
    }


def post_breadcrumbs(post) -> dict:
    trail = [(post.series.title, post.series.get_absolute_url())] if post.series_id else []
    return breadcrumbs(*trail, (post.title, post.get_absolute_url()))


def search_path() -> str:
    """The search page's address (the search app's URL, or where it is planned to be)."""
    try:
        return reverse("search:results")
    except NoReverseMatch:
        return "/search/"


def website() -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": on_site("/"),
        "description": settings.SITE_DESCRIPTION,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": on_site(search_path()) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def as_script(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
