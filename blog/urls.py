"""URLs of the blog app, mounted at /blog/ (see the URL map in docs/architecture.md)."""

from django.urls import path

from blog import comment_feeds, comment_views, feeds, views
from blog.page_cache import cached_by_version, discussion_version, posts_version

app_name = "blog"
urlpatterns = [
    path("", views.PostListView.as_view(), name="post-list"),
    path("feed/", cached_by_version(posts_version)(feeds.LatestPostsFeed()), name="feed-rss"),
    path("atom/", cached_by_version(posts_version)(feeds.LatestPostsAtomFeed()), name="feed-atom"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series-detail"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    # Comments (docs/comments.md)
    path("comments/token/", comment_views.CommentTokenView.as_view(), name="comment-token"),
    path("<slug:slug>/", views.PostDetailView.as_view(), name="post-detail"),
    path("<slug:slug>/comments/", comment_views.CommentCreateView.as_view(), name="comment-create"),
    path(
        "<slug:slug>/comments/feed/",
        cached_by_version(discussion_version)(comment_feeds.PostCommentsFeed()),
        name="comment-feed",
    ),
    path(
        "<slug:slug>/comments/<int:pk>/",
        comment_views.CommentPermalinkView.as_view(),
        name="comment-permalink",
    ),
    path(
        "<slug:slug>/comments/<int:pk>/edit/",
        comment_views.CommentEditView.as_view(),
        name="comment-edit",
    ),
    path(
        "<slug:slug>/comments/<int:pk>/delete/",
        comment_views.CommentDeleteView.as_view(),
        name="comment-delete",
    ),
    path(
        "comments/<int:pk>/moderate/<str:token>/",
        comment_views.CommentModerateView.as_view(),
        name="comment-moderate",
    ),
]
