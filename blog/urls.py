"""URLs of the blog app, mounted at /blog/ (see the URL map in docs/architecture.md)."""

from django.urls import path

from blog import feeds, views
from blog.page_cache import content_version
from siteops.page_cache import cached_by_version

app_name = "blog"
cached_feed = cached_by_version(content_version)
urlpatterns = [
    path("", views.PostListView.as_view(), name="post-list"),
    path("feed/", cached_feed(feeds.LatestPostsFeed()), name="feed-rss"),
    path("atom/", cached_feed(feeds.LatestPostsAtomFeed()), name="feed-atom"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series-detail"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("<slug:slug>/", views.PostDetailView.as_view(), name="post-detail"),
]
