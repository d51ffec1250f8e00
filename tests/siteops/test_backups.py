"""`make backup` / `make restore`: a backup brings back exactly what was there, on either engine."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from blog.models import Post


@pytest.mark.django_db(transaction=True)
def test_a_restore_brings_back_the_data_as_it_was_at_backup_time(make_post, tmp_path):
    make_post(title="Kept safe", slug="kept-safe")
    backup = tmp_path / "site.backup"
    out = StringIO()
    call_command("backup_db", output=backup, stdout=out)
    assert backup.stat().st_size > 0 and str(backup) in out.getvalue()

    Post.objects.filter(slug="kept-safe").delete()
    make_post(title="Written after the backup", slug="later")

    call_command("restore_db", str(backup), interactive=False, stdout=StringIO())
    assert list(Post.objects.values_list("slug", flat=True)) == ["kept-safe"]
    assert "Kept safe" in Post.objects.get().title


@pytest.mark.django_db
def test_restoring_a_missing_file_names_it_and_changes_nothing(make_post, tmp_path):
    make_post(slug="still-here")
    with pytest.raises(CommandError, match=r"nope\.backup: no such file"):
        call_command("restore_db", str(tmp_path / "nope.backup"), interactive=False)
    assert Post.objects.filter(slug="still-here").exists()


@pytest.mark.django_db
def test_restoring_a_file_that_is_not_a_backup_is_refused(make_post, tmp_path):
    make_post(slug="still-here")
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    with pytest.raises(CommandError, match=r"notes\.txt: not a"):
        call_command("restore_db", str(junk), interactive=False)
    assert Post.objects.filter(slug="still-here").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_and_a_no_cancels(make_post, tmp_path, monkeypatch):
    make_post(slug="still-here")
    backup = tmp_path / "site.backup"
    call_command("backup_db", output=backup, stdout=StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore_db", str(backup))
