"""Reader-facing pages of the blog: post list, post, series, tags, author, and the site's
own pages (About, Privacy, Contact…).

Every query for public content goes through `Post.objects.published()`; only staff who may
view or change posts may open an unpublished post at its URL, marked with a preview banner and
never cached. Every page readers see is served from the shared page cache (siteops.page_cache):
the post page works out its own key here, the others are wrapped in blog/urls.py. The lists'
cards show each post's count of public comments, read in the list's own query by the comments
app's one rule for "public" (`listed`).
"""

import re

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from blog.models import Page, Post, Series, Tag
from blog.page_cache import post_valid_until, post_versions, with_page_times
from comments.models import Comment
from siteops import page_cache
from siteops.unavailable import UNAVAILABLE

POSTS_PER_PAGE = 10
# A post's comment pages have one address each: ?cpage=2…N, page 1 being the post's own URL.
# Only these are served (and cached); other spellings of a number redirect to them, so a flood
# of variants (?cpage=000002, ?cpage=2%0A…) stores nothing, and what cannot be a page is a 404
# (a number past the last page too: the comment section raises it, before anything is stored).
PAGE_NUMBER = re.compile(r"[2-9]|[1-9][0-9]{1,5}")
PAGE_NUMBER_SPELLING = re.compile(r"\s*0*([1-9][0-9]{0,5})\s*", re.ASCII)


def may_preview(user) -> bool:
    """Only those allowed to read or change posts in the admin may open an unpublished one:
    being staff is not enough (a moderator of comments has no business with drafts)."""
    return user.is_staff and (user.has_perm("blog.view_post") or user.has_perm("blog.change_post"))


def listed():
    """Published posts as the lists' cards show them, each with `comment_count`: its comments
    readers can see, counted in the same query whatever the number of posts."""
    public = (
        Comment.objects.public()
        .filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Post.objects.for_listing().annotate(comment_count=Coalesce(Subquery(public), 0))


class PostListView(ListView):
    template_name = "blog/post_list.html"
    context_object_name = "posts"
    paginate_by = POSTS_PER_PAGE

    def get_queryset(self):
        return listed()


class PostDetailView(DetailView):
    template_name = "blog/post_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        posts = Post.objects.select_related("series").prefetch_related("tags")
        if may_preview(self.request.user):
            return posts
        return posts.published()

    def get(self, request, *args, **kwargs):
        redirect = canonical_comment_page(request)
        if redirect is not None:
            return redirect
        if not page_cache.shareable(request, allowed_query={"cpage": PAGE_NUMBER}):
            return super().get(request, *args, **kwargs)
        address = request.get_full_path()
        try:
            versions = post_versions(kwargs["slug"])
        except UNAVAILABLE:
            # The database is down: readers get the page as it last was, if any was kept.
            page = page_cache.last_known_page(address)
            if page is None:
                raise
            return page.response(request)
        if versions is None:
            raise Http404("No post at this address.")
        render = lambda: self.shared_render(versions)  # noqa: E731
        return page_cache.serve(request, address, versions.key, render)

    def shared_render(self, versions):
        """The page rendered for the post these versions are of, with what the page cache
        needs to know of its lifetime."""
        self.object = post = get_object_or_404(
            with_page_times(Post.objects.published().select_related("series")), pk=versions.pk
        )
        prefetch_related_objects([post], "tags")
        page_cache.page_times(
            self.request,
            valid_until=post_valid_until(post),
            last_modified=post.last_changed or post.updated_at,
        )
        return self.render_to_response(self.get_context_data(object=post))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            series_nav=self.object.series_navigation(),
            related_posts=Post.objects.related_to(self.object),
            is_preview=not self.object.is_public,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response.add_post_render_callback(self._never_cache_if_personal)
        return response

    def _never_cache_if_personal(self, response):
        if not self.object.is_public or page_cache.is_personal(self.request):
            add_never_cache_headers(response)


def canonical_comment_page(request) -> HttpResponsePermanentRedirect | None:
    """The redirect to the canonical address of the comment page asked for, or None when the
    address is already canonical; Http404 when what was asked for cannot be a page number."""
    if not request.META.get("QUERY_STRING"):
        return None  # the post's own address, as nearly every reader asks for it
    values = request.GET.getlist("cpage")
    if not values or (len(values) == 1 and PAGE_NUMBER.fullmatch(values[0])):
        return None
    spelling = PAGE_NUMBER_SPELLING.fullmatch(values[-1])
    if spelling is None:
        raise Http404("No such page of comments.")
    query = request.GET.copy()
    if spelling.group(1) == "1":
        del query["cpage"]
    else:
        query.setlist("cpage", [spelling.group(1)])
    return HttpResponsePermanentRedirect(request.path + (f"?{query.urlencode()}" if query else ""))


def post_page(request, post, status=200):
    """The post page for this request, never cached: for another app answering a POST with
    it (the comments app shows a refused comment again on it)."""
    view = PostDetailView()
    view.setup(request, slug=post.slug)
    view.object = post
    response = view.render_to_response(view.get_context_data(object=post), status=status)
    response.render()
    add_never_cache_headers(response)
    return response


class SeriesDetailView(DetailView):
    template_name = "blog/series_detail.html"
    context_object_name = "series"
    model = Series

    def get_context_data(self, **kwargs):
        return super().get_context_data(parts=self.object.table_of_contents(), **kwargs)


class TagView(ListView):
    template_name = "blog/tag_detail.html"
    context_object_name = "posts"
    paginate_by = POSTS_PER_PAGE

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return listed().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class TagListView(ListView):
    """Every tag with published posts, by name, with how many: one query."""

    template_name = "blog/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return Tag.objects.in_use().order_by("name")


class AuthorView(ListView):
    """One author's published posts, newest first; unknown (or only unpublished) is a 404."""

    template_name = "blog/author_detail.html"
    context_object_name = "posts"
    paginate_by = POSTS_PER_PAGE

    def get_queryset(self):
        return listed().filter(author_slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Read once here: the author's name comes from the first post (all have it).
        posts = list(context["posts"])
        if not posts:
            raise Http404("No published articles by this author.")
        context.update(posts=posts, object_list=posts, author_name=posts[0].author_name)
        return context


class PageView(DetailView):
    """A site page at /<slug>/; a page may add to the layout with `blog/page_<slug>.html`."""

    model = Page
    context_object_name = "page"

    def get_template_names(self):
        return [f"blog/page_{self.object.slug}.html", "blog/page_detail.html"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact_email=settings.SITE_CONTACT_EMAIL, **kwargs)
