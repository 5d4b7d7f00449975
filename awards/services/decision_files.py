"""The .docx and PDF of an issued decision exactly as issued: made once when it is issued,
stored with their SHA-256 (awards.DecisionFile), and from then on served as stored, after the
checksum is verified, never made again.

A decision issued before the papers were kept gets them made from its stored names at the first
download, and kept from then on."""

from __future__ import annotations

import hashlib
import logging

from django.db import IntegrityError, transaction

from awards.models import Decision, DecisionFile
from awards.papers_decisions import decision_docx, decision_pdf

logger = logging.getLogger(__name__)

BUILDERS = {DecisionFile.Format.DOCX: decision_docx, DecisionFile.Format.PDF: decision_pdf}


class TamperedFile(Exception):
    """A stored paper whose bytes no longer hash to the SHA-256 stored with it."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store(decision: Decision, fmt: str) -> DecisionFile:
    data = BUILDERS[fmt](decision)
    return DecisionFile.objects.create(
        decision=decision, format=fmt, content=data, sha256=sha256(data), size=len(data)
    )


def decision_files_store(*, decision: Decision) -> list[DecisionFile]:
    """Make and store the papers of a decision being issued (inside `decision_issue`)."""
    return [_store(decision, fmt) for fmt in DecisionFile.Format.values]


def verify(stored: DecisionFile) -> bytes:
    """The stored bytes, once they are checked against their SHA-256."""
    data = bytes(stored.content)
    if len(data) != stored.size or sha256(data) != stored.sha256:
        logger.error(
            "decision %s: the stored %s does not match its SHA-256", stored.decision_id, stored.format
        )
        raise TamperedFile(f"decision {stored.decision_id}: stored {stored.format} fails its SHA-256")
    return data


def decision_file_get(*, decision: Decision, fmt: str) -> tuple[bytes, DecisionFile]:
    """The paper of an issued decision as issued (bytes verified, and its row)."""
    if not decision.is_issued:
        raise ValueError("only an issued decision has stored papers")
    stored = DecisionFile.objects.filter(decision=decision, format=fmt).first()
    if stored is None:
        try:
            with transaction.atomic():
                stored = _store(decision, fmt)
        except IntegrityError:  # another request stored it first: serve that one
            stored = DecisionFile.objects.get(decision=decision, format=fmt)
    return verify(stored), stored
