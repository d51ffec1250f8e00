"""URLs of following by email, mounted at /follow/ (docs/architecture.md's URL map)."""

from django.urls import path

from subscriptions import views

app_name = "subscriptions"
urlpatterns = [
    path("", views.FollowView.as_view(), name="follow"),
    path("sent/", views.SentView.as_view(), name="sent"),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
