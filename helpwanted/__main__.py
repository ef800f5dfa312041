"""The `helpwanted` console script: Django's manage.py with our settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpwanted.settings")
    # Commands (the worker, imports, migrate, backups) may rightly run long: no statement
    # timeout on PostgreSQL unless one is set. Web requests (gunicorn, runserver) keep 30 s.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("HELPWANTED_DB_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
