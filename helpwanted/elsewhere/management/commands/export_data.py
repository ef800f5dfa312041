"""helpwanted export_data EMAIL --format json|csv|vcard [-o FILE]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpwanted.accounts.models import User
from helpwanted.elsewhere.exports import FORMATS, export_csv, export_json, export_vcard


def _render(user: User, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(export_json(user), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return export_csv(user)
    return export_vcard(user)


class Command(BaseCommand):
    help = "Export a seeker's data as JSON (everything), CSV or vCard (their people)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The seeker's email address.")
        parser.add_argument("--format", choices=FORMATS, default="json", dest="fmt")
        parser.add_argument("-o", "--output", help="Write to this file instead of stdout.")

    def handle(
        self, *args: object, email: str, fmt: str, output: str | None, **options: object
    ) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"There's no account for {email}.", returncode=2)
        text = _render(user, fmt)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            # newline="" keeps CSV's and vCard's CRLF line ends as they are.
            with Path(output).open("w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        except OSError as error:
            raise CommandError(
                f"Couldn't write {output}: {error.strerror}.", returncode=2
            ) from error
        self.stdout.write(
            self.style.SUCCESS(f"Wrote the {fmt} export for {user.email} to {output}.")
        )
