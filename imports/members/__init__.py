"""The member roster import: columns (the header spellings), rows (one row checked), importer
(the two passes and the bulk writes), jobs (an upload run in the worker)."""

from imports.members.importer import import_members_file
from imports.members.jobs import job_create, job_progress, job_run, progress_path
from imports.members.rows import SEX_WORDS, ImportResult

__all__ = [
    "SEX_WORDS",
    "ImportResult",
    "import_members_file",
    "job_create",
    "job_progress",
    "job_run",
    "progress_path",
]
