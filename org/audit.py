"""Which org models the audit log records (who, when, old -> new)."""

from lib.audit import audit_register
from org.models import Member, MemberMove, Unit, UnitEvent, UnitLink

audit_register(Unit, unit="pk", exclude_fields=["name_folded", "updated_at", "member_count", "female_count"])
audit_register(Member, unit="unit_id", exclude_fields=["name_folded", "updated_at"])
audit_register(MemberMove, unit="to_unit_id")  # listed on the page of the unit moved to
audit_register(UnitEvent)
audit_register(UnitLink)
