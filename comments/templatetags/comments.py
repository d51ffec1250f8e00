"""What a post page shows of its comments, in three tags the blog's template calls:

- `{% comment_head post %}` in the page's head: the comments' stylesheet and script, and the
  Atom feed of the post's comments (public posts only);
- `{% comment_count post %}` in the byline: "· 3 comments", linked to the section;
- `{% comment_section post %}` below the article: the comments, the commenter's own held
  ones, and the form (or why it is closed).

They share one `comment_context()` per request, so the page costs the same queries whatever
the order.
"""

from django import template

from comments.views import comment_context

register = template.Library()


@register.inclusion_tag("comments/_head.html")
def comment_head(post):
    return {"post": post}


@register.inclusion_tag("comments/_count.html", takes_context=True)
def comment_count(context, post):
    return {"comment_count": comment_context(context["request"], post)["comment_count"]}


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comment_section(context, post):
    # The CSRF token travels from the page's context: a hole on a page stored for everyone.
    return {
        **comment_context(context["request"], post),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
