"""Campaign records are audited: plans, registrations, covenants and what feeds the targets."""

from auditlog.registry import auditlog

from campaigns import models as m

auditlog.register(m.Movement)
auditlog.register(m.Plan, exclude_fields=["revision", "updated_at"], m2m_fields={"movements"})
auditlog.register(m.Phase)
auditlog.register(m.Duty)
auditlog.register(m.Target)
auditlog.register(m.LaunchEvent)
auditlog.register(m.Registration, exclude_fields=["revision"])
auditlog.register(m.Pledge)
auditlog.register(m.MemberPledge)
auditlog.register(m.Cluster)
auditlog.register(m.ClusterMember)
auditlog.register(m.ClusterHead)
auditlog.register(m.Covenant)
auditlog.register(m.CovenantClause)
auditlog.register(m.CovenantSignature)
auditlog.register(m.PilotModel)
auditlog.register(m.ContestEntry)
