"""Pages of the comparisons app: the matrix, the recommendation form and a saved result.

Thin views: the engine and cost model (comparisons/engine.py, costs.py) decide, the models
store, and these functions only fetch in a constant number of queries and render. Links to
blog posts go only to posts that `Post.objects.published()` says readers may see.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import DetailView, FormView, TemplateView

from blog.models import Post
from comparisons.forms import RecommendationForm, describe_answers, prefill_query
from comparisons.models import Assessment, Criterion, Recommendation, ServiceModel
from siteops.clients import client_hash


def published_posts(slugs) -> dict[str, Post]:
    """The published posts among these slugs, by slug, in one query."""
    wanted = {slug for slug in slugs if slug}
    if not wanted:
        return {}
    posts = Post.objects.published().filter(slug__in=wanted).only("slug", "title")
    return {post.slug: post for post in posts}


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
        ip_hash = client_hash(self.request)
        recent = Recommendation.objects.saved_in_the_last_hour_from(ip_hash)
        if recent >= settings.COMPARISONS_MAX_SAVED_PER_HOUR:
            response = self.render_to_response(self.get_context_data(form=form, too_many=True))
            response.status_code = 429
            response["Retry-After"] = "3600"
            return response
        return redirect(Recommendation.objects.record(form.profile(), ip_hash=ip_hash))


class ResultView(DetailView):
    template_name = "comparisons/result.html"
    context_object_name = "recommendation"
    model = Recommendation

    def get_context_data(self, **kwargs):
        recommendation = self.object
        factors = recommendation.result["factors"]
        criteria = {
            criterion.slug: criterion
            for criterion in Criterion.objects.filter(
                slug__in={factor["criterion"] for factor in factors}
            )
        }
        posts = published_posts(criterion.related_post_slug for criterion in criteria.values())
        related_posts = sorted(posts.values(), key=lambda post: post.title)
        return super().get_context_data(
            result=recommendation.result,
            factors=[{**factor, "row": criteria.get(factor["criterion"])} for factor in factors],
            related_criteria=sorted(criteria.values(), key=lambda criterion: criterion.order),
            related_posts=related_posts,
            cost_rows=recommendation.cost_rows(),
            chart=recommendation.cost_chart(),
            retry_url=reverse("comparisons:recommend")
            + "?"
            + urlencode(prefill_query(recommendation.inputs)),
            answers=describe_answers(recommendation.inputs),
            **kwargs,
        )
