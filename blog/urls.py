"""URLs of the blog app, mounted at /blog/ (see the URL map in docs/architecture.md)."""

from django.urls import path

from blog import feeds, views

app_name = "blog"
urlpatterns = [
    path("", views.PostListView.as_view(), name="post-list"),
    path("feed/", feeds.LatestPostsFeed(), name="feed-rss"),
    path("atom/", feeds.LatestPostsAtomFeed(), name="feed-atom"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series-detail"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("<slug:slug>/", views.PostDetailView.as_view(), name="post-detail"),
]
