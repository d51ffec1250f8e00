"""App configuration for comments: tells the page cache which cookies make a post page
personal and how to fill the comment form's per-reader timestamp, and the CSRF failure view
how to bring back a comment sent without a usable token (comments.error_pages)."""

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from comments.cookies import AUTHOR_COOKIE, OWN_COOKIE
        from comments.error_pages import token_problem
        from comments.forms import issue_timestamp
        from siteops import csrf_failures, page_cache

        page_cache.treat_as_personal(OWN_COOKIE, AUTHOR_COOKIE)
        page_cache.register_filler(
            "comment-timestamp", lambda request, post_pk: issue_timestamp(post_pk)
        )
        csrf_failures.on_token_problem("comments:create", token_problem)
