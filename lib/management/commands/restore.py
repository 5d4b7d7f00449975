"""`manage.py restore DIR`: a backup into an empty database and MEDIA_ROOT, checked before and after."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from lib.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database (a new PostgreSQL database, "
        "or an SQLite file that does not exist yet) and MEDIA_ROOT. Checksums are verified before, row "
        "counts after; existing different media files are never replaced."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, help="the backup directory (with manifest.json)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, directory: Path, database: str, **options) -> None:
        try:
            backup_restore(
                directory=directory,
                connection=connections[database],
                media_root=Path(settings.MEDIA_ROOT),
                log=self.stdout.write,
            )
        except (BackupError, DatabaseError, OSError) as e:
            raise CommandError(str(e))
