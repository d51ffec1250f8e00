"""Running `sync_posts` in tests: `sync()` returns what it printed, `sync_error()` the message
it refused a content folder with, and `PROJECT_CONTENT` is the project's own content/ folder.
Used by the sync, site-page, editor and subscription tests and the browser fixtures."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

PROJECT_CONTENT = Path(settings.BASE_DIR) / "content"


def sync(content_dir, *args):
    out, err = StringIO(), StringIO()
    call_command("sync_posts", *args, content_dir=content_dir, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def sync_error(content_dir):
    with pytest.raises(CommandError) as raised:
        sync(content_dir)
    return str(raised.value)
