"""Issued decisions with their lines and register records, straight through the ORM (the
decisions helper's decision_issue is tested on its own): certificates only need the result."""

from __future__ import annotations

import datetime
import itertools
import shutil
import tempfile
from collections.abc import Sequence

from django.test import override_settings

from awards.models import AwardRecord, Decision, DecisionLine, RecipientKind
from awards.tests import factories as f
from lib.text import fold
from org.models import Member, Unit, UnitLevel

SIGNED_ON = datetime.date(2025, 12, 25)
NUMBERS = itertools.count(500)  # decision numbers are unique per issuing unit


def _province(unit: Unit) -> Unit | None:
    for ancestor in [*unit.get_ancestors(), unit]:
        if ancestor.level == UnitLevel.PROVINCE:
            return ancestor
    return None


def issued_decision(
    *,
    unit: Unit,
    award_code: str = "giay-khen",
    members: Sequence[Member] = (),
    units: Sequence[Unit] = (),
    persons: Sequence[tuple[str, Unit]] = (),
    number: str | None = None,
    signed_on: datetime.date = SIGNED_ON,
    year: int = 2025,
    achievement: str = "",
    position_title: str = "",
    bulk: bool = False,
    **extra,
) -> Decision:
    """An issued award decision of `unit` with one line and one valid record per recipient:
    members, collectives (`units`) and persons named without a member record (`persons`)."""
    award = f.award(award_code)
    number = number or f"{next(NUMBERS)}/QĐ-LĐLĐ"
    decision = Decision.objects.create(
        unit=unit,
        award=award,
        year=year,
        title=extra.pop("title", f"Về việc khen thưởng năm {year}"),
        number=number,
        place=extra.pop("place", "Đông Hà"),
        signed_on=signed_on,
        signer_authority=extra.pop("signer_authority", "TM. BAN THƯỜNG VỤ"),
        signer_title=extra.pop("signer_title", "CHỦ TỊCH"),
        signer_name=extra.pop("signer_name", "Nguyễn Văn Ký"),
        **extra,
    )
    recipients = [(RecipientKind.MEMBER, m.unit, m.full_name, m) for m in members]
    recipients += [(RecipientKind.COLLECTIVE, u, u.name, None) for u in units]
    recipients += [(RecipientKind.PERSON, u, name, None) for name, u in persons]
    lines = [
        DecisionLine(
            decision=decision,
            recipient_kind=kind,
            member=member,
            unit=where,
            name=name,
            position_title=position_title,
            achievement=achievement,
            position=i,
        )
        for i, (kind, where, name, member) in enumerate(recipients)
    ]
    if bulk:
        lines = DecisionLine.objects.bulk_create(lines, batch_size=500)
    else:
        for line in lines:
            line.save()
    province = _province(unit)
    records = [
        AwardRecord(
            award=award,
            year=year,
            recipient_kind=line.recipient_kind,
            member=line.member,
            unit=line.unit,
            name=line.name,
            name_folded=fold(line.name),
            unit_name=line.unit.name if line.member_id or line.recipient_kind == RecipientKind.PERSON else "",
            position_title=line.position_title,
            sex=line.member.sex if line.member_id else "",
            province=province,
            issuer=unit,
            issuer_name=unit.name,
            issuer_level=unit.level,
            decision=decision,
            line=line,
            decision_number=number,
            decided_on=signed_on,
            source=AwardRecord.Source.DECISION,
        )
        for line in lines
    ]
    AwardRecord.objects.bulk_create(records, batch_size=500)
    decision.status = Decision.Status.ISSUED
    decision.save()  # allowed: the stored row is still a draft
    return decision


def revoke(
    record: AwardRecord, *, number: str | None = None, signed_on=datetime.date(2026, 2, 3)
) -> Decision:
    """Issue a revoking decision for `record` and mark the record revoked by it."""
    number = number or f"{next(NUMBERS)}/QĐ-LĐLĐ"
    original = record.decision
    decision = Decision.objects.create(
        unit=original.unit if original else record.issuer,
        kind=Decision.Kind.REVOKE,
        award=record.award,
        amends=original,
        year=record.year,
        title="Về việc thu hồi khen thưởng",
        number=number,
        signed_on=signed_on,
        signer_name="Nguyễn Văn Ký",
    )
    DecisionLine.objects.create(
        decision=decision,
        recipient_kind=record.recipient_kind,
        member=record.member,
        unit=record.unit,
        name=record.name,
        corrects=record,
    )
    decision.status = Decision.Status.ISSUED
    decision.save()
    record.status = AwardRecord.Status.REVOKED
    record.revoked_by = decision
    record.save(update_fields=["status", "revoked_by"])
    return decision


class TempMediaMixin:
    """Files written by the tests (batches) go to a temporary MEDIA_ROOT, removed afterwards."""

    @classmethod
    def setUpClass(cls) -> None:
        media = tempfile.mkdtemp(prefix="thidua-certificates-")
        override = override_settings(MEDIA_ROOT=media)
        override.enable()
        cls.addClassCleanup(shutil.rmtree, media, True)
        cls.addClassCleanup(override.disable)
        super().setUpClass()
