"""`manage.py backup_db`: write a consistent backup of the database to backups/ (or --output)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from siteops.backups import BackupError, backup, suffix_for


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup, or pg_dump for PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="File to write (default: backups/…).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output, database, **options):
        connection = connections[database]
        if output is None:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BASE_DIR) / "backups" / f"{connection.vendor}-{stamp}"
            output = output.with_suffix(suffix_for(connection))
        try:
            path = backup(connection, output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backed up the database to {path}"))
