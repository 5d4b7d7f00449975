"""A published ranking, what it printed (snapshot, rows, file), its frozen score sheets and their
scores never change (see lib/frozen.py; the triggers are in migrations 0003 and 0004)."""

from lib.frozen import protect
from reports.models import (
    RankingFile,
    RankingPublication,
    RankingSnapshot,
    RankingSnapshotRow,
    Score,
    ScoreSheet,
)


def _into_frozen(score: Score, using: str) -> bool:
    return ScoreSheet._base_manager.using(using).filter(pk=score.sheet_id, status="frozen").exists()


def _into_published(row: RankingSnapshotRow, using: str) -> bool:
    return RankingSnapshot._base_manager.using(using).filter(publication_id=row.publication_id).exists()


protect(ScoreSheet)
protect(Score, joins_frozen=_into_frozen)
protect(RankingPublication)
protect(RankingSnapshot)
protect(RankingSnapshotRow, joins_frozen=_into_published)
protect(RankingFile)
