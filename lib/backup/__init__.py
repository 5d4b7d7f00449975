"""Backup and restore of the database and the uploaded files (`manage.py backup` / `restore`).

Below the ORM on purpose: a dump of the database (pg_dump, or SQLite's online backup API) and a
copy of MEDIA_ROOT, described by a manifest of row counts and SHA-256 checksums. A restore fires
no Django signal, so the audit log holds exactly the rows it held when the backup was taken, and
nothing passes through the models' save(), so issued decisions come back as they were."""

from lib.backup.core import backup_create, backup_restore, manifest_read
from lib.backup.errors import BackupError

__all__ = ["BackupError", "backup_create", "backup_restore", "manifest_read"]
