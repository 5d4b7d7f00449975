"""A published ranking, its frozen score sheets and their scores never change (see
lib/frozen.py; the triggers are in migration 0003)."""

from lib.frozen import protect
from reports.models import RankingPublication, Score, ScoreSheet


def _into_frozen(score: Score, using: str) -> bool:
    return ScoreSheet._base_manager.using(using).filter(pk=score.sheet_id, status="frozen").exists()


protect(ScoreSheet)
protect(Score, joins_frozen=_into_frozen)
protect(RankingPublication)
