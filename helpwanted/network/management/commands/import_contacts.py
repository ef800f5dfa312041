import json
import logging
import os
import stat
from pathlib import Path
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpwanted.accounts.models import User, normalize_email
from helpwanted.network.imports import ImportReport, import_file
from helpwanted.network.parsing import FORMATS, MAX_FILE_BYTES, ImportFileError

log = logging.getLogger("helpwanted.network")
CHUNK_BYTES = 1024 * 1024
TOO_BIG = f"This file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. Please split it."


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, read in chunks and never more than `limit` (+1 to notice the excess).

    Only a regular file will do: /dev/zero, a pipe or a folder is refused before it is read, and
    the opened file is checked again (it could have been swapped since). O_NONBLOCK keeps a FIFO
    from holding the command forever waiting for a writer.
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise ImportFileError(f"Can't read {path}: {exc.strerror or exc}.") from exc
    if not stat.S_ISREG(mode):
        raise ImportFileError(_not_regular(path, mode))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ImportFileError(f"Can't read {path}: {exc.strerror or exc}.") from exc
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise ImportFileError(_not_regular(path, mode))
        chunks, size = [], 0
        while chunk := handle.read(min(CHUNK_BYTES, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ImportFileError(f"{path}: {TOO_BIG}")
    return b"".join(chunks)


def _not_regular(path: Path, mode: int) -> str:
    kind = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a pipe"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return f"{path} is {kind}. Give the path of the exported .csv or .vcf file."


class Command(BaseCommand):
    help = (
        "Import a contacts file (LinkedIn Connections.csv or messages.csv, Google Contacts CSV, "
        "vCard) into a seeker's people. Safe to repeat: nothing is duplicated. With --json, "
        "success and every error alike are one JSON object on stdout."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The seeker's account email.")
        parser.add_argument("file", help="Path to the exported file.")
        parser.add_argument("--format", default="auto", choices=["auto", *FORMATS])
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: object, **options: object) -> None:
        email, path, fmt = str(options["email"]), Path(str(options["file"])), str(options["format"])
        try:
            report = self._import(email, path, fmt)
        except CommandError as exc:
            if not options["json"]:
                raise
            self._json_error(str(exc), exc.returncode)
        except Exception:
            if not options["json"]:
                raise
            log.exception("import_contacts failed for %s", path.name)
            self._json_error("Something went wrong on our side. Nothing was imported.", 1)
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

    def _import(self, email: str, path: Path, fmt: str) -> ImportReport:
        owner = User.objects.filter(email=normalize_email(email)).first()
        if owner is None:
            raise CommandError(f"No account uses the email {email}.", returncode=2)
        try:
            data = read_regular_file(path)
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        try:
            return import_file(owner=owner, data=data, filename=path.name, fmt=fmt)
        except ImportFileError as exc:
            raise CommandError(f"{path}: {' '.join(str(exc).split())}", returncode=2) from exc

    def _json_error(self, message: str, returncode: int) -> NoReturn:
        self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
        raise SystemExit(returncode)
