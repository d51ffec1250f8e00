"""The comment models leave the blog for the comments app (Django's state only: the rows stay
where they are, see comments 0001-0002), and every write to what the blog's pages are built
from now moves the `content` data version, whatever made it (siteops.data_versions). The
post's hand-kept `comments_changed_at` is replaced by the comments' own triggers."""

from django.db import migrations

from siteops.data_versions import WatchTable

CONTENT = "'content'"


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0005_comment_site_reply_and_notify"),
        ("comments", "0001_initial"),
        ("subscriptions", "0002_reply_is_a_comments_comment"),
        ("siteops", "0001_data_versions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Comment"),
                migrations.DeleteModel(name="BlockedTerm"),
            ]
        ),
        migrations.RemoveField(model_name="post", name="comments_changed_at"),
        WatchTable("blog_post", CONTENT),
        WatchTable("blog_series", CONTENT),
        WatchTable("blog_tag", CONTENT),
        WatchTable("blog_post_tags", CONTENT),
        WatchTable("blog_page", CONTENT),
    ]
