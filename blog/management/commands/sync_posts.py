"""`manage.py sync_posts`: load content/ (series.yaml, tags.yaml, posts/*.md and pages/*.md)
into the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from blog.content import ContentError, sync
from blog.share_cards import write_cards
from siteops.database_statistics import refresh_statistics


class Command(BaseCommand):
    help = (
        "Create and update series, tags, posts and site pages from content files. Idempotent; "
        "never overwrites a post or page edited in the admin since its last sync unless "
        "--force. Any bad file stops the whole sync, naming the file and line, and changes "
        "nothing; text the HTML sanitiser would drop is a warning with its file and line."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--content-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "content",
            help="Folder holding series.yaml, tags.yaml, posts/ and pages/ (default: ./content).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite posts and pages edited in the admin."
        )

    def handle(self, *args, content_dir, force, **options):
        if not (content_dir / "posts").is_dir():
            raise CommandError(f"{content_dir / 'posts'}: no such folder")
        try:
            report = sync(content_dir, force=force)
        except ContentError as error:
            raise CommandError(
                "No post or page was changed; fix these content files and run again:\n"
                + "\n".join(f"  {problem}" for problem in error.problems)
            ) from None
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for kind, kept in (("", report.kept_admin_edits), ("page ", report.pages.kept_admin_edits)):
            for slug in kept:
                self.stderr.write(
                    self.style.WARNING(
                        f"kept {kind}{slug}: edited in the admin since its last sync (use "
                        "--force to overwrite it with the file)"
                    )
                )
        self.stdout.write(self.style.SUCCESS("posts: " + _counts(report)))
        if (content_dir / "pages").is_dir():
            self.stdout.write(self.style.SUCCESS("pages: " + _counts(report.pages)))
        # After the commit: the cards of what is now in the database, only those missing.
        cards = write_cards()
        self.stdout.write(self.style.SUCCESS(f"share cards: {len(cards)} drawn"))
        # A first sync or a large one changes the tables' sizes: let the planner know.
        refresh_statistics()


def _counts(report):
    return (
        f"{len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.kept_admin_edits)} kept (admin edits)"
    )
