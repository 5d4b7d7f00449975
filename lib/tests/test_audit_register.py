"""`audit_register(model, unit=...)`: every audited row's entries carry {"unit_id": ...}, the
unit whose audit page lists them, exactly as the per-model `get_additional_data` methods did."""

import datetime
from types import SimpleNamespace

from auditlog.models import LogEntry
from django.apps import apps

from awards.models import Award, AwardCondition
from lib.audit import audit_for_object
from lib.testing import BaseTestCase
from org.models import Member, MemberMove, Sex, UnitLink

# The attribute each model's entries took their unit from before the helper existed.
UNIT_PATHS = {
    "accounts.User": "unit_id",
    "accounts.Role": "unit_id",
    "org.Unit": "pk",
    "org.Member": "unit_id",
    "org.MemberMove": "to_unit_id",
    "campaigns.Plan": "unit_id",
    "campaigns.LaunchEvent": "unit_id",
    "campaigns.Registration": "unit_id",
    "campaigns.MemberPledge": "member.unit_id",
    "campaigns.Cluster": "unit_id",
    "campaigns.Covenant": "cluster.unit_id",
    "campaigns.CovenantSignature": "unit_id",
    "campaigns.PilotModel": "unit_id",
    "campaigns.ContestEntry": "unit_id",
    "reports.ReportForm": "unit_id",
    "reports.ReportRequest": "unit_id",
    "reports.Report": "unit_id",
    "reports.ScoringTable": "unit_id",
    "reports.ScoreSheet": "unit_id",
    "awards.Award": "unit_id",
    "awards.AwardCondition": "award.unit_id",
    "awards.AwardQuota": "award.unit_id",
    "awards.Round": "unit_id",
    "awards.Nomination": "unit_id",
    "awards.Nominee": "nomination.unit_id",
    "awards.NominationFile": "nomination.unit_id",
    "awards.PublicNotice": "unit_id",
    "awards.NoticeComment": "notice.unit_id",
    "awards.Council": "unit_id",
    "awards.CouncilMember": "council.unit_id",
    "awards.Meeting": "council.unit_id",
    "awards.Decision": "unit_id",
    "awards.DecisionLine": "decision.unit_id",
    "awards.Initiative": "unit_id",
    "awards.ServicePeriod": "member.unit_id",
    "awards.AwardRecord": "unit_id",
    "awards.BlankLayout": "unit_id",
    "imports.PlanImport": "unit_id",
}


def _row_with(path: str, value: int) -> SimpleNamespace:
    """A stand-in row whose attribute at `path` ("council.unit_id") is `value`."""
    *parents, last = path.split(".")
    row = SimpleNamespace(**{last: value})
    for name in reversed(parents):
        row = SimpleNamespace(**{name: row})
    return row


class AuditRegisterTests(BaseTestCase):
    def test_each_model_takes_its_unit_from_the_same_attribute_as_before(self):
        for label, path in UNIT_PATHS.items():
            model = apps.get_model(label)
            self.assertEqual(model.get_additional_data(_row_with(path, 41)), {"unit_id": 41}, label)

    def test_a_unit_entry_carries_the_units_own_id(self):
        entry = audit_for_object(self.school).get(action=LogEntry.Action.CREATE)
        self.assertEqual(entry.additional_data, {"unit_id": self.school.pk})

    def test_a_member_move_is_listed_at_the_unit_moved_to(self):
        member = Member.objects.create(unit=self.school, full_name="Lê Văn Tám", sex=Sex.MALE)
        move = MemberMove.objects.create(
            member=member, from_unit=self.school, to_unit=self.dongha, moved_on=datetime.date(2024, 1, 1)
        )
        self.assertEqual(audit_for_object(member).get().additional_data, {"unit_id": self.school.pk})
        self.assertEqual(audit_for_object(move).get().additional_data, {"unit_id": self.dongha.pk})

    def test_a_row_reaches_its_unit_through_its_parent(self):
        award = Award.objects.create(
            unit=self.quangtri, code="bk-test", name="Bằng khen thử", kind=Award.Kind.FORM
        )
        condition = AwardCondition.objects.create(award=award, kind=AwardCondition.Kind.ONCE_IN_LIFE)
        self.assertEqual(audit_for_object(condition).get().additional_data, {"unit_id": self.quangtri.pk})

    def test_a_model_without_a_unit_stores_no_extra_data(self):
        link = UnitLink.objects.filter(unit=self.school).first()
        self.assertIsNone(audit_for_object(link).get().additional_data)
