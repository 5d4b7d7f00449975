"""The one error the backup and restore steps raise; the commands turn it into exit code 1."""


class BackupError(Exception):
    pass
