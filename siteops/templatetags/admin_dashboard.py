"""Template tag for the admin index: the owner's dashboard (siteops.dashboard), or nothing for
a user who may view neither comments nor recommendations."""

from django import template

from siteops.dashboard import dashboard_for

register = template.Library()


@register.inclusion_tag("admin/_dashboard.html", takes_context=True)
def admin_dashboard(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"dashboard": dashboard_for(user) if user is not None else None}
