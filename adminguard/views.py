"""The admin sign-in view, answering a locked-out sign-in as every limit does: 429 and
`Retry-After` (siteops.rate_limits), with the form and its friendly message as the page.

Django's admin builds its login view itself, so `AdminguardConfig.ready()` wraps the
default site's `login` with `throttled_login()`; the form (adminguard.forms) decides.
"""

import functools

from siteops.rate_limits import too_many_requests


def throttled_login(login):
    """`login` (an AdminSite's bound login view), answering 429 while the form is refused."""

    @functools.wraps(login)
    def view(request, extra_context=None):
        response = login(request, extra_context)
        # The re-rendered form is in the (not yet rendered) TemplateResponse's context.
        form = (getattr(response, "context_data", None) or {}).get("form")
        refusal = getattr(form, "refusal", None)
        if refusal is not None:
            return too_many_requests(response, refusal)
        return response

    view.throttled = True
    return view
