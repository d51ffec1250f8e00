"""URLs of the comparisons app, mounted at /compare/ (names are used across the site).

The pages readers see are served from the shared page cache (siteops.page_cache): the matrix,
the empty form and a saved result are keyed by the comparisons' data version (service
models, criteria, assessments, assumptions) and the content's (the posts they link to); a
result's JSON never changes once stored, so it is kept under its address alone.
"""

from django.urls import path

from blog.page_cache import Versioned, content_and, versions_with
from comparisons import views
from siteops.page_cache import cached_for_readers

app_name = "comparisons"

_comparisons_and_content = content_and("comparisons")


def comparisons_version(**kwargs) -> Versioned:
    return versions_with(_comparisons_and_content)


def stored_for_good(**kwargs) -> Versioned:
    return Versioned("stored")


cached = cached_for_readers(comparisons_version)

urlpatterns = [
    path("", cached(views.MatrixView.as_view()), name="matrix"),
    path("recommend/", cached(views.RecommendView.as_view()), name="recommend"),
    path("recommend/<uuid:pk>/", cached(views.ResultView.as_view()), name="result"),
    path(
        "recommend/<uuid:pk>.json",
        cached_for_readers(stored_for_good)(views.ResultJSONView.as_view()),
        name="result_json",
    ),
    path("recommend/<uuid:pk>/adjust/", views.AdjustView.as_view(), name="adjust"),
]
