"""The minimal project's URLs: the same bare view as the site's, and /healthz."""

from django.urls import path

from bench.bare import bare, healthz

urlpatterns = [path("__bench__/bare/", bare), path("healthz", healthz)]
