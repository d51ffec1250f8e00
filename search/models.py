"""The search index's table: one row per post (drafts too: the query joins back to
`Post.objects.published()`, so a post becoming public by time alone is found at once).

Django knows the table so that it is flushed, cascaded and migrated like any other; what each
database builds on it comes from search migration 0001: an FTS5 table kept in step by
triggers on SQLite, a stored weighted tsvector with a GIN index on PostgreSQL. Written only by
search.index, from the post's plain text (search.text.plain_text).
"""

from django.db import models

from blog.models import Post


class Document(models.Model):
    post = models.OneToOneField(
        Post, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    title = models.TextField()
    summary = models.TextField()
    body = models.TextField(help_text="The post's text as readers see it, without markup.")

    class Meta:
        db_table = "search_document"
        verbose_name = "search index entry"
        verbose_name_plural = "search index entries"

    def __str__(self):
        return self.title
