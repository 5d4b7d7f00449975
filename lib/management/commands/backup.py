"""`manage.py backup DIR`: the database, the uploaded files and a manifest, into a new directory."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from lib.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump -Fc; SQLite: the online backup API) and MEDIA_ROOT "
        "into DIR, with a manifest of row counts and SHA-256 checksums. DIR must not exist or be empty."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, help="where to write the backup (created)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, directory: Path, database: str, **options) -> None:
        try:
            backup_create(
                directory=directory,
                connection=connections[database],
                media_root=Path(settings.MEDIA_ROOT),
                log=self.stdout.write,
            )
        except (BackupError, DatabaseError, OSError) as e:
            raise CommandError(str(e))
