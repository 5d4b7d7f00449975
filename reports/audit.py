"""Report records are audited (values themselves live in immutable versions)."""

from lib.audit import audit_register
from reports import models as m

for model in (
    m.ReportForm,
    m.FormVersion,
    m.Indicator,
    m.FormRule,
    m.ReportRequest,
    m.Report,
    m.ReviewAction,
    m.Evidence,
    m.ScoringTable,
    m.Criterion,
    m.ScoreSheet,
    m.Score,
    m.ScoreChange,
    m.RankingPublication,
):
    audit_register(model)
