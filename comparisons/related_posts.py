"""Which blog posts the comparisons pages may link to: only those readers can see.

Used by the matrix, the result page and the pages of results saved in format 1
(comparisons/legacy.py); every link goes through `Post.objects.published()`.
"""

from blog.models import Post


def published_posts(slugs) -> dict[str, Post]:
    """The published posts among these slugs, by slug, in one query."""
    wanted = {slug for slug in slugs if slug}
    if not wanted:
        return {}
    posts = Post.objects.published().filter(slug__in=wanted).only("slug", "title")
    return {post.slug: post for post in posts}
