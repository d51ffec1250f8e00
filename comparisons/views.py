"""Pages of the comparisons app: the matrix, the recommendation form, a saved result (as a
page and as JSON) and the form that recalculates it with the reader's own figures.

Thin views: the engine and cost model (comparisons/engine.py, costs.py) decide, the models
store, and these functions only fetch in a constant number of queries and render. Links to
blog posts go only to posts that `Post.objects.published()` says readers may see. Every
result is saved, so one network may save only so many an hour: over it, the form comes back
with 429 and the real wait, as every limit answers (siteops.rate_limits).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import DetailView, FormView, TemplateView
from django.views.generic.detail import BaseDetailView

from comparisons import legacy
from comparisons.costs import InvalidAssumptions
from comparisons.forms import (
    AssumptionsForm,
    RecommendationForm,
    describe_answers,
    prefill_query,
)
from comparisons.models import Assessment, Criterion, Recommendation, ServiceModel
from comparisons.related_posts import published_posts
from siteops.clients import client_hash
from siteops.rate_limits import RateLimit, Refusal, exclusively, too_many_requests


class MatrixView(TemplateView):
    template_name = "comparisons/matrix.html"

    def get_context_data(self, **kwargs):
        service_models = list(ServiceModel.objects.all())
        criteria = list(
            Criterion.objects.prefetch_related(
                Prefetch("assessments", queryset=Assessment.objects.order_by())
            )
        )
        posts = published_posts(criterion.related_post_slug for criterion in criteria)
        rows = []
        for criterion in criteria:
            by_model = {cell.service_model_id: cell for cell in criterion.assessments.all()}
            rows.append(
                {
                    "criterion": criterion,
                    "post": posts.get(criterion.related_post_slug),
                    # One cell per column, None where nobody has assessed it yet.
                    "cells": [(model, by_model.get(model.pk)) for model in service_models],
                }
            )
        return super().get_context_data(service_models=service_models, rows=rows, **kwargs)


class RecommendView(FormView):
    """GET shows the form (pre-filled from the query string); POST computes and saves."""

    template_name = "comparisons/recommend.html"
    form_class = RecommendationForm

    def get_initial(self):
        if self.request.method != "GET" or not self.request.GET:
            return super().get_initial()
        # Only answers that pass validation pre-fill the form; anything else in the query
        # string is dropped rather than shown back as an error on a page nobody submitted.
        # An unticked checkbox is simply absent, so remote_staff is always taken.
        candidate = RecommendationForm(self.request.GET)
        candidate.is_valid()
        given = {*self.request.GET, "remote_staff"}
        answers = {name: value for name, value in candidate.cleaned_data.items() if name in given}
        return {**super().get_initial(), **answers}

    def form_valid(self, form):
        # Every result is saved (for its permalink), so one network may only save so many an
        # hour: a flood of posts cannot fill the database.
        # Worked out before the lock, which then only covers the count and the insert.
        recommendation = Recommendation.objects.prepare(
            form.profile(), ip_hash=client_hash(self.request)
        )
        with exclusively(f"recommendations:{recommendation.ip_hash}"):
            refusal = refusal_for(self.request)
            if not refusal:
                recommendation.save()
        if refusal:
            context = self.get_context_data(form=form, too_many=True)
            return too_many_requests(self.render_to_response(context), refusal)
        return redirect(recommendation)


class ResultView(DetailView):
    """A saved result, rendered only from what was stored with it (it never changes)."""

    template_name = "comparisons/result.html"
    context_object_name = "recommendation"
    model = Recommendation
    assumptions_form = None

    def get_template_names(self):
        if self.object.format_version == 1:
            return ["comparisons/result_v1.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        recommendation = self.object
        if recommendation.format_version == 1:
            return super().get_context_data(**legacy.v1_context(recommendation), **kwargs)
        result = recommendation.result
        criteria = Criterion.objects.exclude(related_post_slug="").only("related_post_slug")
        posts = published_posts(criterion.related_post_slug for criterion in criteria)
        return super().get_context_data(
            result=result,
            cost_rows=cost_rows(result),
            chart=result["chart"],
            assumptions_form=self.assumptions_form or AssumptionsForm(rows=result["assumptions"]),
            retry_url=reverse("comparisons:recommend")
            + "?"
            + urlencode(prefill_query(recommendation.inputs)),
            answers=describe_answers(recommendation.inputs),
            related_posts=sorted(posts.values(), key=lambda post: post.title),
            **kwargs,
        )


def cost_rows(result: dict) -> list[dict]:
    """The stored estimates in the order the engine listed them, then the reference."""
    # result["options"] keeps the engine's order; PostgreSQL reorders the keys of "costs".
    rows = [
        {"key": key, **result["costs"][key], "chosen": key == result["outcome"], "reference": False}
        for key in result["options"]
    ]
    rows += [
        {"key": key, **cost, "chosen": False, "reference": True}
        for key, cost in result["reference"].items()
    ]
    return rows


class AdjustView(ResultView):
    """POST: the same answers with the reader's figures, saved as a new result."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = original = self.get_object()
        if original.format_version == 1:
            return redirect(original)
        form = AssumptionsForm(request.POST, rows=original.result["assumptions"])
        if not form.is_valid():
            self.assumptions_form = form
            return self.render_to_response(self.get_context_data(adjust_errors=True))
        try:
            adjusted = Recommendation.objects.prepare(
                original.profile(), ip_hash=client_hash(request), adjusted=form.adjusted()
            )
        except InvalidAssumptions as error:
            form.add_error(None, str(error))
            self.assumptions_form = form
            return self.render_to_response(self.get_context_data(adjust_errors=True))
        with exclusively(f"recommendations:{adjusted.ip_hash}"):
            refusal = refusal_for(request)
            if not refusal:
                adjusted.save()
        if refusal:
            self.assumptions_form = form
            context = self.get_context_data(too_many=True)
            return too_many_requests(self.render_to_response(context), refusal)
        return redirect(adjusted)


def refusal_for(request) -> Refusal | None:
    """Refused, with the real wait, when this network has saved its hourly share of results."""
    saved = RateLimit(
        "recommendations per network",
        settings.COMPARISONS_MAX_SAVED_PER_HOUR,
        timedelta(hours=1),
        "Many recommendations were asked for from your network in the last hour.",
    )
    return saved.refusal(Recommendation.objects.filter(ip_hash=client_hash(request)))


class ResultJSONView(BaseDetailView):
    """The same stored result as JSON, under the same (unguessable) address rules."""

    model = Recommendation

    def render_to_response(self, context):
        recommendation = self.object
        result = recommendation.result
        payload = {
            "id": str(recommendation.pk),
            "url": settings.SITE_URL + recommendation.get_absolute_url(),
            "created_at": recommendation.created_at.isoformat(),
            "inputs": recommendation.inputs,
            **{key: value for key, value in result.items() if key != "chart"},
        }
        if recommendation.format_version == 2:
            payload["assumptions"] = [
                {
                    "key": row["key"],
                    "name": row["label"],
                    "value": row["value"],
                    "low": row["low"],
                    "high": row["high"],
                    "unit": row["unit"],
                    "source": row["source"],
                    "source_url": row["source_url"],
                }
                for row in result["assumptions"]
            ]
        response = JsonResponse(payload, json_dumps_params={"indent": 2})
        response["X-Robots-Tag"] = "noindex"
        return response


TOKEN_NEEDED = (
    "Your browser did not yet have this site's security token for the form, or had an "
    "out-of-date one, so nothing was worked out. It has a fresh one now: everything you "
    "entered is kept below."
)


def token_refused(request):
    """The answer to the form sent without a usable CSRF token (a reader without script on a
    cached page, or a cookie cleared since): the same form with everything entered, a fresh
    token and a request to send it again. Nothing is stored, so a forged request gains
    nothing. Registered with siteops.csrf_failures for the recommendation and adjust forms."""
    match = request.resolver_match
    if match.view_name == "comparisons:recommend":
        view = RecommendView()
        view.setup(request)
        form = RecommendationForm(request.POST)
        form.is_valid()
        context = view.get_context_data(form=form, token_needed=TOKEN_NEEDED)
        return view.render_to_response(context, status=403)
    view = AdjustView()
    view.setup(request, **match.kwargs)
    try:
        view.object = view.get_object()
    except Http404:
        return None
    if view.object.format_version == 1:
        return None
    view.assumptions_form = AssumptionsForm(request.POST, rows=view.object.result["assumptions"])
    view.assumptions_form.is_valid()
    context = view.get_context_data(token_needed=TOKEN_NEEDED)
    return view.render_to_response(context, status=403)
