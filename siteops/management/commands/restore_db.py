"""`manage.py restore_db FILE`: replace the database's contents with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from siteops.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database from a file written by backup_db. Replaces all current data."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file, database, interactive, **options):
        connection = connections[database]
        if interactive:
            answer = input(
                f"This replaces every row in the {connection.vendor} database "
                f"{connection.settings_dict['NAME']!s} with {file}. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            restore(connection, file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored the database from {file}"))
