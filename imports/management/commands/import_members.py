"""manage.py import_members FILE --unit CODE [--user USERNAME]: import a roster from the shell.

The file passes the upload gate and is read in the sandbox like an upload (lib/uploads.py,
lib/sandbox.py); for bigger files raise IMPORT_MAX_UPLOAD_BYTES and IMPORT_MAX_ROWS."""

from imports.commands import FileImportCommand
from imports.members import import_members_file


class Command(FileImportCommand):
    help = (
        "Import members from an .xlsx, .xls, .ods or .csv roster into a unit. Saves nothing if any row fails."
    )

    def import_file(self, **kwargs):
        return import_members_file(**kwargs)

    def summary(self, result) -> str:
        return f"{result.rows} rows: {result.added} added, {result.updated} updated, {result.unchanged} unchanged."
