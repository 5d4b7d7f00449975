"""manage.py import_members FILE --unit CODE [--user USERNAME]: import a roster from the shell.

The file passes the upload gate and is read in the sandbox like an upload (lib/uploads.py,
lib/sandbox.py); for bigger files raise IMPORT_MAX_UPLOAD_BYTES and IMPORT_MAX_ROWS."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from imports.members import import_members_file
from lib.tabular import ImportFileError
from org.models import Unit


class Command(BaseCommand):
    help = (
        "Import members from an .xlsx, .xls, .ods or .csv roster into a unit. Saves nothing if any row fails."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--unit", required=True, help="code of the unit to import into")
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
            result = import_members_file(path=file, unit=target, imported_by=author, filename=file.name)
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
        self.stdout.write(
            f"{result.rows} rows: {result.added} added, {result.updated} updated, {result.unchanged} unchanged."
        )
