"""What a published ranking prints, stored when it is published (RankingSnapshot, its rows and its
.xlsx with the SHA-256) and read back from then on, so that renaming a unit, the cluster or the
table, editing criteria or a unit's member count never changes a published ranking.

A ranking published before its snapshot was kept got one filled by migration 0004; its .xlsx is
made from that snapshot at the first download and kept from then on."""

from __future__ import annotations

import base64
import datetime
import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.models import Cluster
from reports.models import (
    RankingFile,
    RankingPublication,
    RankingSnapshot,
    RankingSnapshotRow,
    ScoreSheet,
    ScoringTable,
)
from reports.ranking_paper import ranking_xlsx
from reports.services.scoring.rules import FLAG_PROPOSAL, ZERO, grade_for

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintedCriterion:
    code: str
    label: str
    max_points: Decimal


@dataclass
class RankingRow:
    """One line of a ranking as shown: live while scoring, from the snapshot once published."""

    sheet_id: int
    unit_id: int
    unit_name: str
    total: Decimal
    rank: int
    points: list[Decimal | None]
    grade: str
    flag: str


@dataclass
class PrintedRanking:
    """A published ranking as it was published."""

    publication: RankingPublication
    cluster_name: str
    year: int
    table_name: str
    table_version: int
    tie_break: str
    decision_number: str
    published_at: datetime.datetime
    criteria: list[PrintedCriterion]
    rows: list[RankingRow]

    def get_tie_break_display(self) -> str:
        return str(ScoringTable.TieBreak(self.tie_break).label)


class TamperedFile(Exception):
    """A stored .xlsx whose bytes no longer hash to the SHA-256 stored with it."""


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def ranking_snapshot_store(
    *,
    publication: RankingPublication,
    table: ScoringTable,
    cluster: Cluster,
    ranking: list[tuple[ScoreSheet, Decimal, int]],
) -> RankingSnapshot:
    """Store what the ranking prints (inside `ranking_publish`): its rows first, then the snapshot,
    which closes the ranking to new rows."""
    criteria = list(table.criteria.all())
    top = sum((c.max_points for c in criteria), ZERO)
    rows = []
    for position, (sheet, total, rank) in enumerate(ranking, start=1):
        by_criterion = {s.criterion_id: s.points for s in sheet.scores.all()}
        with translation.override(None):  # the grade's msgid: shown in the reader's language
            grade = grade_for(total=total, max_total=top)
        rows.append(
            RankingSnapshotRow(
                publication=publication,
                position=position,
                sheet=sheet,
                unit_id=sheet.unit_id,
                unit_name=sheet.unit.name,
                rank=rank,
                total=total,
                points=[_text(by_criterion.get(c.pk)) for c in criteria],
                grade=grade,
                flag=rank == 1,
            )
        )
    RankingSnapshotRow.objects.bulk_create(rows)
    return RankingSnapshot.objects.create(
        publication=publication,
        cluster_name=cluster.name,
        table_name=table.name,
        table_version=table.version,
        tie_break=table.tie_break,
        criteria=[{"code": c.code, "label": c.label, "max_points": _text(c.max_points)} for c in criteria],
    )


def printed_ranking(*, publication: RankingPublication) -> PrintedRanking:
    """The published ranking from its snapshot (two queries), grades in the active language."""
    snapshot = RankingSnapshot.objects.get(publication=publication)
    rows = [
        RankingRow(
            sheet_id=row.sheet_id,
            unit_id=row.unit_id,
            unit_name=row.unit_name,
            total=row.total,
            rank=row.rank,
            points=[_number(p) for p in row.points],
            grade=_(row.grade) if row.grade else "",
            flag=str(FLAG_PROPOSAL) if row.flag else "",
        )
        for row in RankingSnapshotRow.objects.filter(publication=publication)
    ]
    return PrintedRanking(
        publication=publication,
        cluster_name=snapshot.cluster_name,
        year=publication.year,
        table_name=snapshot.table_name,
        table_version=snapshot.table_version,
        tie_break=snapshot.tie_break,
        decision_number=publication.decision_number,
        published_at=publication.published_at,
        criteria=[
            PrintedCriterion(code=c["code"], label=c["label"], max_points=Decimal(c["max_points"]))
            for c in snapshot.criteria
        ],
        rows=rows,
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def repr_digest(stored: RankingFile) -> str:
    """The stored SHA-256 as an HTTP Repr-Digest header (RFC 9530), so a client can check the file."""
    return f"sha-256=:{base64.b64encode(bytes.fromhex(stored.sha256)).decode()}:"


def ranking_file_store(*, publication: RankingPublication) -> RankingFile:
    """Make and store the .xlsx from the snapshot: when the ranking is published, or at the first
    download of one published before the files were kept. Made in the site's language (the paper
    is Vietnamese), whoever publishes or downloads it."""
    with translation.override(settings.LANGUAGE_CODE):
        data = ranking_xlsx(printed=printed_ranking(publication=publication))
    return RankingFile.objects.create(
        publication=publication,
        format=RankingFile.Format.XLSX,
        content=data,
        sha256=sha256(data),
        size=len(data),
    )


def ranking_file_get(*, publication: RankingPublication) -> tuple[bytes, RankingFile]:
    """The .xlsx of a published ranking as first made (bytes checked against their SHA-256, and
    its row)."""
    stored = RankingFile.objects.filter(publication=publication, format=RankingFile.Format.XLSX).first()
    if stored is None:
        try:
            with transaction.atomic():
                stored = ranking_file_store(publication=publication)
        except IntegrityError:  # another request stored it first: serve that one
            stored = RankingFile.objects.get(publication=publication, format=RankingFile.Format.XLSX)
    data = bytes(stored.content)
    if len(data) != stored.size or sha256(data) != stored.sha256:
        logger.error("ranking publication %s: the stored .xlsx does not match its SHA-256", publication.pk)
        raise TamperedFile(f"ranking publication {publication.pk}: stored .xlsx fails its SHA-256")
    return data, stored
