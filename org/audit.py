"""Which org models the audit log records (who, when, old -> new)."""

from auditlog.registry import auditlog

from org.models import Member, MemberMove, Unit, UnitEvent, UnitLink

auditlog.register(Unit, exclude_fields=["name_folded", "updated_at", "member_count", "female_count"])
auditlog.register(Member, exclude_fields=["name_folded", "updated_at"])
auditlog.register(MemberMove)
auditlog.register(UnitEvent)
auditlog.register(UnitLink)
