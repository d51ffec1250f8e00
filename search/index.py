"""Search over the published posts, the one interface for every caller: `search(query)`.

The same on SQLite (FTS5) and PostgreSQL (tsvector): search.backends holds the two engines,
search.text the query's and the excerpts' rules. What a search reads: one query for the
page of matches, ranked, with their excerpts and the number of matches (none when the query
has no words), and one for those posts with their series; never more, however many match.

The index is kept current on every save of a post (`index_post`, connected to `post_save`),
in the save's own transaction: the page cache keys the search page on the content's data
version (blog.page_cache), which the post's write moves, so the index must never lag behind
it; and since its table is watched too, an index written on its own (`rebuild`) moves the
version as well. Deleting a post deletes its entry (a cascade). Visibility is decided at
query time by `Post.objects.published()`, so drafts are indexed but never found, and a
scheduled post is found from its moment on with nothing written.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models.signals import post_save
from django.utils.safestring import SafeString

from blog.models import Post
from search import backends
from search.models import Document
from search.text import indexable, marked, marks_in, plain_text, words

PER_PAGE = 10
# A save that changes only these leaves the indexed text as it was (sync_posts' bookkeeping).
_INDEXED_FIELDS = {"title", "summary", "body_markdown", "body_html"}


@dataclass(frozen=True)
class Hit:
    post: Post  # with its series
    excerpt: SafeString  # escaped text, matches in <mark>


@dataclass(frozen=True)
class Results:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # how many published posts match, on every page


def search(query: str, limit: int = PER_PAGE, offset: int = 0) -> Results:
    """The published posts matching every word of `query`, best first: title matches count
    more than summary matches, which count more than body matches."""
    found = words(query)
    if not found:
        return Results()
    published_sql, params = Post.objects.published().order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        matches = backends.for_vendor(connection.vendor).matches(
            cursor, found, published_sql, params, limit, offset
        )
    if not matches:
        return Results()
    posts = Post.objects.published().select_related("series").in_bulk([m.post_id for m in matches])
    hits = [Hit(posts[m.post_id], excerpt(m)) for m in matches if m.post_id in posts]
    return Results(hits, matches[0].total)


def excerpt(match) -> SafeString:
    """The summary when it shows at least as many matches as the body's excerpt (it reads
    best), else the body's excerpt; marked up safely either way."""
    summary, body = match.summary_excerpt or "", match.body_excerpt or ""
    if summary and marks_in(summary) >= marks_in(body):
        return marked(summary)
    return marked(body or summary)


def document_for(post) -> Document:
    return Document(
        post_id=post.pk,
        title=indexable(post.title),
        summary=indexable(post.summary),
        body=plain_text(post.body_html),
    )


def index_post(post) -> None:
    """Write the post's entry (updated in place, or added)."""
    document_for(post).save()


def rebuild() -> int:
    """Every post's entry written again from the posts as they are; returns how many."""
    Document.objects.all().delete()
    documents = [document_for(post) for post in Post.objects.order_by("pk").iterator()]
    Document.objects.bulk_create(documents, batch_size=200)
    return len(documents)


def _post_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if update_fields is not None and not _INDEXED_FIELDS & set(update_fields):
        return
    index_post(instance)


def connect_signals() -> None:
    post_save.connect(_post_saved, sender=Post, dispatch_uid="search.index_post")
