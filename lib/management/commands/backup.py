"""`manage.py backup DIR`: the database, the uploaded files and a manifest, into a new directory."""

from lib.backup import backup_create
from lib.backup.command import BackupCommand


class Command(BackupCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump -Fc; SQLite: the online backup API) and MEDIA_ROOT "
        "into DIR, with a manifest of row counts and SHA-256 checksums. DIR must not exist or be empty."
    )
    directory_help = "where to write the backup (created)"

    def run(self, **kwargs) -> None:
        backup_create(**kwargs)
