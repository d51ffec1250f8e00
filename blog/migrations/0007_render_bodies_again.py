"""Every post's and site page's stored HTML rendered again from its Markdown with today's
pipeline (blog.markdown): tables now scroll inside a focusable, named region and images take
their published addresses and sizes (#14). sync_posts renders only files that changed, so
without this the posts already stored would keep their old HTML until next edited.

Only rows whose HTML changes are written; the content's data-version triggers move the
cached pages' keys as for any other write."""

from django.db import migrations


def render_again(apps, schema_editor):
    from blog import markdown

    Post = apps.get_model("blog", "Post")
    for post in Post.objects.only("pk", "body_markdown", "body_html", "toc_html").iterator():
        rendered = markdown.render(post.body_markdown)
        if (rendered.html, rendered.toc_html) != (post.body_html, post.toc_html):
            Post.objects.filter(pk=post.pk).update(
                body_html=rendered.html, toc_html=rendered.toc_html
            )
    Page = apps.get_model("blog", "Page")
    for page in Page.objects.only("pk", "body_markdown", "body_html").iterator():
        html = markdown.render(page.body_markdown).html
        if html != page.body_html:
            Page.objects.filter(pk=page.pk).update(body_html=html)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0006_comments_leave_and_data_versions"),
    ]

    operations = [
        migrations.RunPython(render_again, migrations.RunPython.noop, elidable=True),
    ]
