"""The shared shape of `manage.py backup` and `manage.py restore`: a directory, a database alias,
one call into lib.backup, and its errors as a CommandError (a message, not a traceback)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from lib.backup.errors import BackupError


class BackupCommand(BaseCommand):
    directory_help = ""

    def run(self, **kwargs) -> None:
        """backup_create or backup_restore, with directory, connection, media_root and log."""
        raise NotImplementedError

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, help=self.directory_help)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, directory: Path, database: str, **options) -> None:
        try:
            self.run(
                directory=directory,
                connection=connections[database],
                media_root=Path(settings.MEDIA_ROOT),
                log=self.stdout.write,
            )
        except (BackupError, DatabaseError, OSError) as e:
            raise CommandError(str(e))
