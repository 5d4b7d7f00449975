"""`manage.py restore DIR`: a backup into an empty database and MEDIA_ROOT, checked before and after."""

from lib.backup import backup_restore
from lib.backup.command import BackupCommand


class Command(BackupCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database (a new PostgreSQL database, "
        "or an SQLite file that does not exist yet) and MEDIA_ROOT. Checksums are verified before, row "
        "counts after; existing different media files are never replaced."
    )
    directory_help = "the backup directory (with manifest.json)"

    def run(self, **kwargs) -> None:
        backup_restore(**kwargs)
