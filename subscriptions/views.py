"""Pages of following by email, mounted at /follow/.

- `/follow/`: the follow form's target (and a page of its own). A valid request always ends
  the same way, a redirect to `/follow/sent/`, whether the address was new, pending or already
  following: the answer reveals nothing. Errors re-render the form with what was typed (400;
  429 with Retry-After over the rate limits).
- `/follow/confirm/<token>/`: the emailed link; a page with a button, and POST confirms (mail
  scanners open links, so a GET changes nothing). Expired links get a page saying so (410).
- `/follow/unsubscribe/<token>/`: a page with one button; POST unsubscribes. It also takes
  the one-click POST mail clients send (RFC 8058) without a CSRF token: the only view here
  exempt from CSRF, as its signed, unguessable token is the proof.

Rules live in `subscriptions.following`; these views only translate them to HTTP.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from siteops import csrf_failures
from siteops.clients import client_hash
from siteops.csrf_failures import TOKEN_NEEDED
from siteops.rate_limits import too_many_requests
from subscriptions.following import (
    ask_to_follow,
    confirm,
    confirmation_link,
    refusal_for,
    subscription_for_unsubscribe,
    unsubscribe,
)
from subscriptions.forms import FollowForm, series_for


def _private(response):
    add_never_cache_headers(response)
    return response


def follow_page(request, form, status=200):
    context = {"form": form, "series": form.page_series}
    return _private(render(request, "subscriptions/follow.html", context, status=status))


class FollowView(View):
    http_method_names = ["get", "post"]

    def get(self, request):
        return follow_page(
            request, FollowForm(series=series_for({"follow-series": request.GET.get("series", "")}))
        )

    def post(self, request):
        form = FollowForm(request.POST, series=series_for(request.POST))
        if not form.is_valid():
            return follow_page(request, form, status=400)
        address = form.cleaned_data["email"]
        refusal = refusal_for(client_hash(request), address)
        if refusal is not None:
            form.add_error(None, refusal.message)
            return too_many_requests(follow_page(request, form), refusal)
        ask_to_follow(address, form.cleaned_data["followed_series"])
        return redirect("subscriptions:sent")


class SentView(TemplateView):
    template_name = "subscriptions/sent.html"
    extra_context = {"confirm_days": settings.SUBSCRIPTIONS_CONFIRM_DAYS}


class ConfirmView(View):
    http_method_names = ["get", "post"]

    def dispatch(self, request, token):
        self.link = confirmation_link(token)
        if self.link.expired:
            context = {
                "subscription": self.link.subscription,
                "confirm_days": settings.SUBSCRIPTIONS_CONFIRM_DAYS,
            }
            return _private(render(request, "subscriptions/link_expired.html", context, status=410))
        if self.link.subscription is None:
            return _private(render(request, "subscriptions/link_invalid.html", status=404))
        return _private(super().dispatch(request, token))

    def get(self, request, token):
        context = {"subscription": self.link.subscription}
        return render(request, "subscriptions/confirm.html", context)

    def post(self, request, token):
        subscription = self.link.subscription
        confirm(subscription)
        return render(request, "subscriptions/confirmed.html", {"subscription": subscription})


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    http_method_names = ["get", "post"]

    def dispatch(self, request, token):
        self.subscription = subscription_for_unsubscribe(token)
        if self.subscription is None:
            return _private(render(request, "subscriptions/link_invalid.html", status=404))
        return _private(super().dispatch(request, token))

    def get(self, request, token):
        context = {"subscription": self.subscription}
        return render(request, "subscriptions/unsubscribe.html", context)

    def post(self, request, token):
        # A mail client's one-click POST (body "List-Unsubscribe=One-Click") and the page's
        # button do the same; doing it twice is harmless.
        unsubscribe(self.subscription)
        context = {"subscription": self.subscription}
        return render(request, "subscriptions/unsubscribed.html", context)


def token_problem(request):
    """A request to follow sent without a usable CSRF token (siteops.csrf_failures): it is
    never lost.

    The follow form on a cached page has no token for a reader without the CSRF cookie until
    its script fetches one; without script the request comes back on the follow page with the
    address kept, a fresh token and a request to send it again.
    """
    form = FollowForm(request.POST, series=series_for(request.POST))
    form.is_valid()
    form.add_error(None, TOKEN_NEEDED)
    return follow_page(request, form, status=403)


# Registered here, where the view lives: the URLconf that names it imports this module.
csrf_failures.on_token_problem("subscriptions:follow", token_problem)
