from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpwanted.ops.backups import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent copy of the database to PATH (SQLite: VACUUM INTO; PostgreSQL: pg_dump -Fc)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: object, path: Path, **options: object) -> None:
        try:
            backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size:,} bytes); it checks out.")
