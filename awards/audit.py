"""Award records are audited: the catalogue (rules change between regulations), dossiers,
councils, decisions and the register."""

from awards import models as m
from lib.audit import audit_register

audit_register(m.Award, exclude_fields=["updated_at", "name_folded"])
audit_register(m.AwardCondition)
audit_register(m.AwardQuota)
audit_register(m.Initiative)
audit_register(m.ServicePeriod, exclude_fields=["start_month", "end_month"])
audit_register(m.Round, m2m_fields={"awards"})
audit_register(m.Nomination, exclude_fields=["revision", "rules"])
audit_register(m.Nominee, exclude_fields=["eligibility"])
audit_register(m.NominationFile)
audit_register(m.PublicNotice)
audit_register(m.NoticeComment)
audit_register(m.Council)
audit_register(m.CouncilMember)
audit_register(m.Meeting, m2m_fields={"present", "nominations"})
audit_register(m.Recusal)
audit_register(m.Decision)
audit_register(m.DecisionLine)
audit_register(m.AwardRecord, exclude_fields=["name_folded"])
audit_register(m.BlankLayout)
