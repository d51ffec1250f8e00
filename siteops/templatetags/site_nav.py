"""The current-page mark of the site's navigation (templates/base.html).

`{% current_mark url %}` gives ` aria-current="page"` on the link to the page being read, and
`{% current_mark url section=True %}` gives ` aria-current="true"` on a section's link for any
page under it (a post under Articles), so readers and screen readers know where they are.
It reads only `request.path`, which every page cache key holds, so the mark is cache-safe.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def current_mark(context, url, section=False):
    request = context.get("request")
    path = getattr(request, "path", "")
    if path == url:
        return mark_safe(' aria-current="page"')
    if section and path.startswith(url):
        return mark_safe(' aria-current="true"')
    return ""
