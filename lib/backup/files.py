"""Files of a backup: SHA-256 checksums, the copy of MEDIA_ROOT and its way back."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from lib.backup.errors import BackupError

CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_entry(path: Path) -> dict:
    """What the manifest records of one file."""
    return {"sha256": sha256_file(path), "bytes": path.stat().st_size}


def _copy_hashing(src: Path, dst: Path) -> dict:
    """Copy one file and return the checksum of the bytes written, so the manifest describes
    the copy even if the source changes while it is read."""
    digest = hashlib.sha256()
    size = 0
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        while chunk := fin.read(CHUNK):
            digest.update(chunk)
            fout.write(chunk)
            size += len(chunk)
    shutil.copystat(src, dst)
    return {"sha256": digest.hexdigest(), "bytes": size}


def media_walk(root: Path) -> list[str]:
    """Relative POSIX paths of the regular files under root, sorted (symbolic links are left out:
    a link may point anywhere, and the storage never creates one)."""
    found = []
    if not root.is_dir():
        return found
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in names:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def media_copy(*, source: Path, target: Path) -> dict[str, dict]:
    """Copy every file of MEDIA_ROOT into target; {relative path: checksum entry}."""
    files = {}
    for rel in media_walk(source):
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            files[rel] = _copy_hashing(source / rel, dst)
        except FileNotFoundError:
            continue  # deleted by the site while we walked: it is not in the database either
    return files


def safe_relative(rel: str) -> PurePosixPath:
    """A manifest path that stays inside its root; anything else means a tampered manifest."""
    path = PurePosixPath(rel)
    if not rel or path.is_absolute() or ".." in path.parts or "\\" in rel:
        raise BackupError(_("The manifest names an unsafe file path: %(path)s") % {"path": rel})
    return path


def damaged(problems: str) -> BackupError:
    return BackupError(_("The backup is damaged or was changed: %(problems)s") % {"problems": problems})


def verify_files(*, root: Path, expected: dict[str, dict]) -> None:
    """Every file listed is there with its checksum, and no other file is: raises BackupError
    naming what differs."""
    problems = []
    for rel, entry in sorted(expected.items()):
        path = root / safe_relative(rel)
        if not path.is_file():
            problems.append(_("%(path)s is missing") % {"path": rel})
        elif path.stat().st_size != entry["bytes"] or sha256_file(path) != entry["sha256"]:
            problems.append(_("%(path)s does not match its checksum") % {"path": rel})
    for rel in media_walk(root):
        if rel not in expected:
            problems.append(_("%(path)s is not in the manifest") % {"path": rel})
    if problems:
        raise damaged("; ".join(problems[:10]))


def media_conflicts(*, target: Path, files: dict[str, dict]) -> list[str]:
    """Files that exist in MEDIA_ROOT with other content than the backup's."""
    conflicts = []
    for rel, entry in sorted(files.items()):
        path = target / safe_relative(rel)
        if path.exists() and (not path.is_file() or sha256_file(path) != entry["sha256"]):
            conflicts.append(rel)
    return conflicts


def media_restore(*, source: Path, target: Path, files: dict[str, dict]) -> tuple[int, int]:
    """Copy the backup's files into MEDIA_ROOT, never over a different file; (copied, already there)."""
    copied = present = 0
    for rel, entry in sorted(files.items()):
        dst = target / safe_relative(rel)
        if dst.exists():
            if dst.is_file() and sha256_file(dst) == entry["sha256"]:
                present += 1
                continue
            raise BackupError(_("%(path)s already exists in MEDIA_ROOT with other content.") % {"path": rel})
        dst.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed, so a half-copied file never carries the name.
        tmp = dst.with_name(f".restore-{os.getpid()}-{dst.name}")
        try:
            written = _copy_hashing(source / rel, tmp)
            if written["sha256"] != entry["sha256"]:
                raise BackupError(_("%(path)s does not match its checksum") % {"path": rel})
            os.replace(tmp, dst)
        finally:
            tmp.unlink(missing_ok=True)
        copied += 1
    return copied, present
