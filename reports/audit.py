"""Report records are audited (values themselves live in immutable versions)."""

from lib.audit import audit_register
from reports import models as m

# Rows that belong to a unit: their entries are listed on that unit's audit page.
for model in (m.ReportForm, m.ReportRequest, m.Report, m.ScoringTable, m.ScoreSheet):
    audit_register(model, unit="unit_id")
for model in (
    m.FormVersion,
    m.Indicator,
    m.FormRule,
    m.ReviewAction,
    m.Evidence,
    m.Criterion,
    m.Score,
    m.ScoreChange,
    m.RankingPublication,
):
    audit_register(model)
