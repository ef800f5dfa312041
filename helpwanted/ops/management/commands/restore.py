from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpwanted.ops.backups import BackupError, restore, row_counts


class Command(BaseCommand):
    help = (
        "Replace the database with the backup at PATH, after checking it; prints row counts. "
        "Stop the app and the worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: object, path: Path, **options: object) -> None:
        try:
            restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored from {path}. Rows per table:")
        for table, count in row_counts().items():
            self.stdout.write(f"{table}: {count}")
