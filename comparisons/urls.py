"""URLs of the comparisons app, mounted at /compare/ (names are used across the site)."""

from django.urls import path

from comparisons import views

app_name = "comparisons"
urlpatterns = [
    path("", views.MatrixView.as_view(), name="matrix"),
    path("recommend/", views.RecommendView.as_view(), name="recommend"),
    path("recommend/<uuid:pk>/", views.ResultView.as_view(), name="result"),
    path("recommend/<uuid:pk>.json", views.ResultJSONView.as_view(), name="result_json"),
    path("recommend/<uuid:pk>/adjust/", views.AdjustView.as_view(), name="adjust"),
]
