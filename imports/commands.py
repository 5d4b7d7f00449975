"""The shared body of the list import commands (import_members, import_award_register): find the
file, the unit and the author, run the import, print the errors by row or the counts.

The file passes the upload gate and is read in the sandbox like an upload (lib/uploads.py,
lib/sandbox.py); for bigger files raise IMPORT_MAX_UPLOAD_BYTES and IMPORT_MAX_ROWS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from lib.tabular import ImportFileError
from org.models import Unit


class FileImportCommand(BaseCommand):
    """Subclasses say what the unit is for, how to import, and how to sum up a success."""

    unit_help = "code of the unit to import into"

    def import_file(self, *, path: Path, unit: Unit, imported_by: User | None, filename: str) -> Any:
        """Run the import; returns a result with rows, errors, error_count, ignored_columns, ok."""
        raise NotImplementedError

    def summary(self, result: Any) -> str:
        """The line printed when every row was imported."""
        raise NotImplementedError

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--unit", required=True, help=self.unit_help)
        parser.add_argument("--user", help="username recorded as the author in the audit log")

    def handle(self, *args, file: Path, unit: str, user: str | None, **options) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"No unit has the code {unit!r}")
        author = None
        if user:
            author = User.objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"No user is called {user!r}")
        try:
            result = self.import_file(path=file, unit=target, imported_by=author, filename=file.name)
        except ImportFileError as exc:
            raise CommandError(f"{file}: {exc}")
        if result.ignored_columns:
            self.stdout.write("Ignored columns: " + ", ".join(result.ignored_columns))
        if not result.ok:
            for e in result.errors:
                self.stderr.write(f"row {e.row}\t{e.column}\t{e.value}\t{e.message}")
            if result.error_count > len(result.errors):
                self.stderr.write(f"... and {result.error_count - len(result.errors)} more errors")
            raise CommandError(f"{result.error_count} errors in {result.rows} rows; nothing was saved.")
        self.stdout.write(self.summary(result))
