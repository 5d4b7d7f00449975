"""Scoring in clusters: tables of criteria, self-assessment, review with reasons, ranking, freezing.

A published table never changes; a change is a new version with a new effective date. A unit
scores itself first; each reviewing level (a writer on a unit strictly above the sheet's unit)
may change a score only with a written reason (ScoreChange old -> new). Publishing a cluster's
ranking freezes its sheets.

The package is split by sub-topic; every public name is importable from here.
"""

from reports.services.scoring.published import (
    PrintedCriterion,
    PrintedRanking,
    RankingRow,
    TamperedFile,
    printed_ranking,
    ranking_file_get,
    ranking_file_store,
    ranking_snapshot_store,
    repr_digest,
)
from reports.services.scoring.ranking import RANKED, cluster_ranking, ranking_publish, ranking_published
from reports.services.scoring.review import reviewing_unit, score_change
from reports.services.scoring.rules import (
    CENT,
    FLAG_PROPOSAL,
    GRADE_BELOW,
    GRADES,
    RULE_KEYS,
    ZERO,
    M,
    grade_for,
    rule_points,
    rule_problems,
)
from reports.services.scoring.sheets import (
    indicator_values_for,
    sheet_compute,
    sheet_get_or_create,
    sheet_self_assess,
    sheet_submit,
)
from reports.services.scoring.tables import (
    scoring_table_create,
    scoring_table_new_version,
    scoring_table_publish,
    scoring_table_update,
    table_for,
)

__all__ = [
    "CENT",
    "FLAG_PROPOSAL",
    "GRADES",
    "GRADE_BELOW",
    "M",
    "PrintedCriterion",
    "PrintedRanking",
    "RANKED",
    "RULE_KEYS",
    "RankingRow",
    "TamperedFile",
    "ZERO",
    "cluster_ranking",
    "grade_for",
    "indicator_values_for",
    "printed_ranking",
    "ranking_file_get",
    "ranking_file_store",
    "ranking_publish",
    "ranking_published",
    "ranking_snapshot_store",
    "repr_digest",
    "reviewing_unit",
    "rule_points",
    "rule_problems",
    "score_change",
    "scoring_table_create",
    "scoring_table_new_version",
    "scoring_table_publish",
    "scoring_table_update",
    "sheet_compute",
    "sheet_get_or_create",
    "sheet_self_assess",
    "sheet_submit",
    "table_for",
]
