"""Award records are audited: the catalogue (rules change between regulations), dossiers,
councils, decisions and the register."""

from awards import models as m
from lib.audit import audit_register

audit_register(m.Award, unit="unit_id", exclude_fields=["updated_at", "name_folded"])
audit_register(m.AwardCondition, unit="award.unit_id")
audit_register(m.AwardQuota, unit="award.unit_id")
audit_register(m.Initiative, unit="unit_id")
audit_register(m.ServicePeriod, unit="member.unit_id", exclude_fields=["start_month", "end_month"])
audit_register(m.Round, unit="unit_id", m2m_fields={"awards"})
audit_register(m.Nomination, unit="unit_id", exclude_fields=["revision", "rules"])
audit_register(m.Nominee, unit="nomination.unit_id", exclude_fields=["eligibility"])
audit_register(m.NominationFile, unit="nomination.unit_id")
audit_register(m.PublicNotice, unit="unit_id")
audit_register(m.NoticeComment, unit="notice.unit_id")
audit_register(m.Council, unit="unit_id")
audit_register(m.CouncilMember, unit="council.unit_id")
audit_register(m.Meeting, unit="council.unit_id", m2m_fields={"present", "nominations"})
audit_register(m.Recusal)
audit_register(m.Decision, unit="unit_id")
audit_register(m.DecisionLine, unit="decision.unit_id")
audit_register(m.AwardRecord, unit="unit_id", exclude_fields=["name_folded"])
audit_register(m.BlankLayout, unit="unit_id")
