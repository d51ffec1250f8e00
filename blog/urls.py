"""URLs of the blog app, mounted at /blog/ (see the URL map in docs/architecture.md).

Every page here is the same for every reader without a cookie of ours, so each is served from
the shared page cache (siteops.page_cache), keyed by the content's data version: any write to
posts, series, tags or pages moves it, and a scheduled post going live ends every entry. The
lists of posts show each post's comment count, so their key holds the public comments'
version as well.
The post page works out its own key (its comments move it too): blog.views.PostDetailView.
"""

import re

from django.urls import path

from blog import feeds, views
from blog.page_cache import content_version, listing_version
from siteops.page_cache import cached_for_readers

app_name = "blog"

# A list's pages beyond the first, spelled the one way its links spell them.
LIST_PAGE = {"page": re.compile(r"[2-9]|[1-9][0-9]{1,5}")}
cached = cached_for_readers(content_version)
cached_list = cached_for_readers(listing_version, allowed_query=LIST_PAGE)

urlpatterns = [
    path("", cached_list(views.PostListView.as_view()), name="post-list"),
    path("feed/", cached(feeds.LatestPostsFeed()), name="feed-rss"),
    path("atom/", cached(feeds.LatestPostsAtomFeed()), name="feed-atom"),
    path("series/<slug:slug>/", cached(views.SeriesDetailView.as_view()), name="series-detail"),
    path("tag/<slug:slug>/", cached_list(views.TagView.as_view()), name="tag"),
    path("tags/", cached(views.TagListView.as_view()), name="tag-list"),
    path("author/<slug:slug>/", cached_list(views.AuthorView.as_view()), name="author"),
    path("<slug:slug>/", views.PostDetailView.as_view(), name="post-detail"),
]
