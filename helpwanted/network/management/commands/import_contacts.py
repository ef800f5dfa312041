import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpwanted.accounts.models import User
from helpwanted.network.imports import import_file
from helpwanted.network.parsing import FORMATS, MAX_FILE_BYTES, ImportFileError


class Command(BaseCommand):
    help = (
        "Import a contacts file (LinkedIn Connections.csv or messages.csv, Google Contacts CSV, "
        "vCard) into a seeker's people. Safe to repeat: nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The seeker's account email.")
        parser.add_argument("file", help="Path to the exported file.")
        parser.add_argument("--format", default="auto", choices=["auto", *FORMATS])
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: object, **options: object) -> None:
        email, path, fmt = str(options["email"]), Path(str(options["file"])), str(options["format"])
        owner = User.objects.filter(email__iexact=email.strip()).first()
        if owner is None:
            raise CommandError(f"No account uses the email {email}.", returncode=2)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ImportFileError("This file is larger than 20 MB. Please split it.")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Can't read {path}: {exc.strerror or exc}.", returncode=2) from exc
        except ImportFileError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from exc
        try:
            report = import_file(owner=owner, data=data, filename=path.name, fmt=fmt)
        except ImportFileError as exc:
            raise CommandError(f"{path}: {' '.join(str(exc).split())}", returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            return
        self.stdout.write(
            f"Imported {path.name} ({report.format}, read as {report.encoding}): "
            f"{report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.skipped} skipped."
        )
        for error in report.errors:
            where = f"Line {error.line}" if error.line else "Whole file"
            self.stdout.write(f"  {where}: {error.reason}")
