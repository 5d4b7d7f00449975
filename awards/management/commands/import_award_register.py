"""manage.py import_award_register FILE --unit CODE [--user USERNAME]: import an old award
register from the shell. Saves nothing if any row fails. The file passes the upload gate and is
read in the sandbox like an upload; for bigger files raise IMPORT_MAX_UPLOAD_BYTES and
IMPORT_MAX_ROWS in the environment."""

from awards.services.register_import import import_register_file
from imports.commands import FileImportCommand


class Command(FileImportCommand):
    help = "Import an old award register (.xlsx, .xls, .ods or .csv) into a unit. Saves nothing if any row fails."
    unit_help = "code of the unit whose register it is"

    def import_file(self, **kwargs):
        return import_register_file(**kwargs)

    def summary(self, result) -> str:
        return (
            f"{result.rows} rows: {result.added} added ({result.linked} linked to members), "
            f"{result.unchanged} already in the register."
        )
