"""Issued decisions, their lines and their stored papers never change (see lib/frozen.py; the
triggers are in migration 0007)."""

from awards.models import Decision, DecisionFile, DecisionLine
from lib.frozen import protect


def _into_issued(line: DecisionLine, using: str) -> bool:
    return Decision._base_manager.using(using).filter(pk=line.decision_id, status="issued").exists()


protect(Decision)
protect(DecisionLine, joins_frozen=_into_issued)
protect(DecisionFile)
