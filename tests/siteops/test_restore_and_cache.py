"""A restore winds the data versions back with the data; no cached page may then be mistaken
for a later one that happens to reach the same version numbers."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from blog.models import Post


@pytest.mark.django_db(transaction=True)
def test_pages_written_after_a_restore_are_never_the_ones_cached_before_it(make_post, tmp_path):
    post = make_post(slug="restored", title="As backed up")
    backup = tmp_path / "site.backup"
    call_command("backup_db", output=backup, stdout=StringIO())

    Post.objects.filter(pk=post.pk).update(title="Edited after the backup")
    assert "Edited after the backup" in Client().get("/blog/restored/").content.decode()
    assert "Edited after the backup" in Client().get("/blog/feed/").content.decode()

    call_command("restore_db", str(backup), interactive=False, stdout=StringIO())
    assert "As backed up" in Client().get("/blog/restored/").content.decode()
    # As many writes as before the restore: the counters are where they were then.
    Post.objects.filter(pk=post.pk).update(title="Edited after the restore")
    page = Client().get("/blog/restored/").content.decode()
    assert "Edited after the restore" in page
    assert "Edited after the restore" in Client().get("/blog/feed/").content.decode()
