"""Reader-facing pages of the blog: home, post list, post, series, tags, author, the site's
own pages (About, Privacy, Contact…), and the health check.

Every query for public content goes through `Post.objects.published()`; staff alone may open
an unpublished post at its URL, marked with a preview banner and never cached. The tag list,
author and site pages are a few cheap queries each, so they are not cached.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from blog import page_cache
from blog.comment_views import comment_context
from blog.models import Page, Post, Series, Tag

POSTS_PER_PAGE = 10


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        latest = list(Post.objects.for_listing()[:5])
        series = next((post.series for post in latest if post.series_id), None)
        return super().get_context_data(
            latest_posts=latest,
            featured_series=series,
            featured_parts=series.table_of_contents() if series else [],
            **kwargs,
        )


class PostListView(ListView):
    template_name = "blog/post_list.html"
    context_object_name = "posts"
    paginate_by = POSTS_PER_PAGE

    def get_queryset(self):
        return Post.objects.for_listing()


class PostDetailView(DetailView):
    template_name = "blog/post_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        posts = Post.objects.select_related("series").prefetch_related("tags")
        if self.request.user.is_staff:
            return posts
        return posts.published()

    def get(self, request, *args, **kwargs):
        if not page_cache.shareable(request):
            return super().get(request, *args, **kwargs)
        versions = page_cache.published_versions(kwargs["slug"])
        if versions is None:
            raise Http404("No post at this address.")
        key = page_cache.key_for(request, versions)
        page = page_cache.cached_page(key)
        if page is None:
            self.object = post = get_object_or_404(
                Post.objects.published().select_related("series"), pk=versions.pk
            )
            prefetch_related_objects([post], "tags")
            context = self.get_context_data(object=post, csrf_token=page_cache.CSRF_HOLE)
            response = self.render_to_response(context)
            page = page_cache.CachedPage.from_html(response.rendered_content, post)
            page_cache.store_page(key, page)
        response = HttpResponse(page.fill(request, versions.pk))
        response["ETag"], response["Last-Modified"] = page_cache.etag_for(key), page.last_modified
        # The page holds this reader's CSRF token: browsers may keep it, shared caches may not.
        # It differs for a reader with a cookie (their own token, or a personal page).
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Cookie"])
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            series_nav=self.object.series_navigation(),
            is_preview=not self.object.is_public,
            **comment_context(self.request, self.object, form=kwargs.pop("comment_form", None)),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["is_preview"] or context["comments_personal"]:
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
        return Post.objects.for_listing().filter(tags=self.tag)

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
        return Post.objects.for_listing().filter(author_slug=self.kwargs["slug"])

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


class HealthView(View):
    """For load balancers: 200 "ok" when the database answers, 503 otherwise."""

    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            response = HttpResponse("database unavailable", status=503, content_type="text/plain")
        else:
            response = HttpResponse("ok", content_type="text/plain")
        add_never_cache_headers(response)
        return response
