"""`manage.py sync_posts`: load content/series.yaml and content/posts/*.md into the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from blog.content import ContentError, sync


class Command(BaseCommand):
    help = (
        "Create and update series and posts from content files. Idempotent; never overwrites "
        "a post edited in the admin since its last sync unless --force. Any bad file stops "
        "the whole sync, naming the file and line, and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--content-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "content",
            help="Folder holding series.yaml and posts/ (default: ./content).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite posts edited in the admin."
        )

    def handle(self, *args, content_dir, force, **options):
        if not (content_dir / "posts").is_dir():
            raise CommandError(f"{content_dir / 'posts'}: no such folder")
        try:
            report = sync(content_dir, force=force)
        except ContentError as error:
            raise CommandError(
                "No post was changed; fix these content files and run again:\n"
                + "\n".join(f"  {problem}" for problem in error.problems)
            ) from None
        for slug in report.kept_admin_edits:
            self.stderr.write(
                self.style.WARNING(
                    f"kept {slug}: edited in the admin since its last sync (use --force to "
                    "overwrite it with the file)"
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.kept_admin_edits)} kept "
                "(admin edits)"
            )
        )
