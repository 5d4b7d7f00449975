"""Campaign records are audited: plans, registrations, covenants and what feeds the targets."""

from campaigns import models as m
from lib.audit import audit_register

audit_register(m.Movement)
audit_register(m.Plan, unit="unit_id", exclude_fields=["revision", "updated_at"], m2m_fields={"movements"})
audit_register(m.Phase)
audit_register(m.Duty)
audit_register(m.Target)
audit_register(m.LaunchEvent, unit="unit_id")
audit_register(m.Registration, unit="unit_id", exclude_fields=["revision"])
audit_register(m.Pledge)
audit_register(m.MemberPledge, unit="member.unit_id")
audit_register(m.Cluster, unit="unit_id")
audit_register(m.ClusterMember)
audit_register(m.ClusterHead)
audit_register(m.Covenant, unit="cluster.unit_id")
audit_register(m.CovenantClause)
audit_register(m.CovenantSignature, unit="unit_id")
audit_register(m.PilotModel, unit="unit_id")
audit_register(m.ContestEntry, unit="unit_id")
