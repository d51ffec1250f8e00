"""URLs of the comments app, mounted under /blog/ beside the posts they belong to (the URL map
in docs/architecture.md); named in the `comments` namespace."""

from django.urls import path

from blog.page_cache import post_versions
from comments import feeds, views
from siteops.page_cache import cached_for_readers

app_name = "comments"
urlpatterns = [
    path("comments/token/", views.CommentTokenView.as_view(), name="token"),
    path("<slug:slug>/comments/", views.CommentCreateView.as_view(), name="create"),
    path(
        "<slug:slug>/comments/feed/",
        cached_for_readers(post_versions)(feeds.PostCommentsFeed()),
        name="feed",
    ),
    path("<slug:slug>/comments/<int:pk>/", views.CommentPermalinkView.as_view(), name="permalink"),
    path("<slug:slug>/comments/<int:pk>/edit/", views.CommentEditView.as_view(), name="edit"),
    path("<slug:slug>/comments/<int:pk>/delete/", views.CommentDeleteView.as_view(), name="delete"),
    path(
        "comments/<int:pk>/moderate/<str:token>/",
        views.CommentModerateView.as_view(),
        name="moderate",
    ),
]
