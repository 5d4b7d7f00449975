"""A small register for the register's tests: lines of Alice's units (Đông Hà) and one of
Charlie's (Quảng Bình), with sectors, issuing levels and one revoked line."""

from __future__ import annotations

import datetime
import io

import openpyxl

from awards.models import AwardRecord, Decision, RecipientKind
from awards.tests import factories as f
from org.models import UnitLevel

REVOKING_NUMBER = "12/QĐ-LĐLĐ"


def build(t) -> None:
    """Set the register's lines as attributes of the test class `t` (the lib.testing cast)."""
    t.ha_cstd = f.record(
        "cstd-co-so", 2022, member=t.ha, sector="public_service", issuer_level=UnitLevel.GRASSROOTS,
        province=t.quangtri, issuer_name="Công đoàn Trường THPT Lê Lợi",
    )  # fmt: skip
    t.ha_ldtt = f.record(
        "lao-dong-tien-tien", 2023, member=t.ha, sector="public_service", issuer_level=None,
        province=t.quangtri, issuer_name="Hiệu trưởng",
    )  # fmt: skip
    t.duc_gk = f.record(
        "giay-khen", 2021, member=t.duc, sector="non_state", issuer_level=UnitLevel.UPPER, province=t.quangtri
    )
    t.school_cdcs = f.record(
        "cdcs-vung-manh", 2023, unit=t.school, recipient_kind=RecipientKind.GRASSROOTS,
        sector="public_service", issuer_level=UnitLevel.UPPER, province=t.quangtri,
    )  # fmt: skip
    t.lan_gk = f.record(
        "giay-khen", 2023, member=t.lan, sector="state", issuer_level=UnitLevel.UPPER, province=t.quangbinh
    )
    t.revoking = Decision.objects.create(
        unit=t.quangtri,
        award=f.award("bang-khen-ldld-tinh"),
        kind=Decision.Kind.REVOKE,
        status=Decision.Status.ISSUED,
        number=REVOKING_NUMBER,
        signed_on=datetime.date(2021, 6, 1),
        year=2020,
        title="Thu hồi Bằng khen",
    )
    t.duc_revoked = f.record(
        "bang-khen-ldld-tinh", 2020, member=t.duc, sector="non_state", issuer_level=UnitLevel.PROVINCE,
        province=t.quangtri, status=AwardRecord.Status.REVOKED, revoked_by=t.revoking,
    )  # fmt: skip


def xlsx(rows: list[list], *, title_rows: int = 0) -> bytes:
    """An .xlsx file whose first sheet holds `rows` (the first being the header), below a few
    title lines as old registers have."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(title_rows):
        ws.append([f"SỔ THEO DÕI KHEN THƯỞNG ({i + 1})"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
