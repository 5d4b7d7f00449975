"""Reports in the demo: the province's default forms, a request to its grassroots unions with a
few reports, and the scoring of its demo cluster for 2021 (a published table, score sheets and
one reviewer's change)."""

import datetime
from decimal import Decimal

from accounts.models import User
from campaigns.models import Cluster, ClusterMember
from org.models import UnitLevel
from reports.defaults import load_default_forms
from reports.models import FormVersion, ReportForm
from reports.services.reports import report_get_or_create, report_review, report_save
from reports.services.requests import request_create
from reports.services.scoring import (
    score_change,
    scoring_table_create,
    scoring_table_publish,
    scoring_table_update,
    sheet_get_or_create,
    sheet_self_assess,
    sheet_submit,
)


def load_report_demo(*, province, officer, plan=None) -> None:
    """Default forms for the province, a request to its grassroots unions, and a few reports."""
    versions = load_default_forms(unit=province, by=officer, year=2021, plan=plan)
    req = request_create(
        version=versions[0],
        unit=province,
        title="Báo cáo sơ kết phong trào thi đua đợt 1 năm 2021",
        period="Sơ kết đợt 1 năm 2021",
        unit_level=UnitLevel.GRASSROOTS,
        due_on=datetime.date(2021, 7, 15),
        by=officer,
    )
    demo_user = User.objects.filter(username="cdcs.demo").first()
    skip = {demo_user.unit_id} if demo_user else set()
    units = [r.unit for r in req.recipient_rows.select_related("unit").order_by("unit__code")[:12]]
    for i, unit in enumerate(u for u in units if u.pk not in skip):
        if i >= 6:
            break
        report = report_get_or_create(request=req, unit=unit)
        raw = {
            "units_registered": "1",
            "members_registered": str(min(unit.member_count, 20 + i)),
            "participation_rate": str(80 + i),
            "review_held": "co" if i % 2 == 0 else "khong",
            "pilot_models": str(i % 3),
            "good_practices": str(1 + i % 2),
            "initiatives": str(i),
            "initiative_value": str(5_000_000 * i),
            "contest_entries": str(3 + i),
            "helped_members": str(min(unit.member_count, 2)),
            "helped_women": str(min(unit.member_count, 1)),
            "support_amount": str(1_000_000 * min(unit.member_count, 2)),
            "exemplary_families": str(i % 2),
            "assessment": "Đơn vị triển khai phong trào nghiêm túc, đạt kết quả tốt.",
        }
        report_save(report=report, raw=raw, by=officer, submit=True)
        if i < 3:
            report_review(report=report, accept=True, comment="", by=officer)


SCORING_TABLE = "Bảng chấm điểm thi đua cụm các LĐLĐ huyện năm 2021"
SCORING_CLUSTER = "Cụm thi đua số 1"
# (code, label, max points, method, rule)
CRITERIA = [
    ("phat-dong", "Tổ chức phát động, đăng ký thi đua", 20, "manual", {}),
    ("tuyen-truyen", "Công tác tuyên truyền", 15, "manual", {}),
    (
        "mo-hinh-diem",
        "Xây dựng được ít nhất 01 mô hình điểm",
        15,
        "threshold",
        {"indicator": "pilot_models", "at_least": 1, "points": 15},
    ),
    (
        "sang-kien",
        "Sáng kiến, cải tiến kỹ thuật (2 điểm mỗi sáng kiến)",
        20,
        "proportional",
        {"indicator": "initiatives", "points_each": 2},
    ),
    ("cham-lo", "Chăm lo đời sống, bảo vệ quyền lợi đoàn viên", 30, "manual", {}),
]
# Each cluster member's year report (pilot models, initiatives) and self-assessed manual points.
SCORING_UNITS = {
    "QT.DH": (1, 9, {"phat-dong": 19, "tuyen-truyen": 14, "cham-lo": 28}),
    "QT.TX": (1, 6, {"phat-dong": 18, "tuyen-truyen": 13, "cham-lo": 27}),
    "QT.VL": (1, 7, {"phat-dong": 18, "tuyen-truyen": 14, "cham-lo": 25}),
    "QT.GL": (0, 4, {"phat-dong": 16, "tuyen-truyen": 12, "cham-lo": 24}),
}
EVIDENCE = {
    "phat-dong": "Kế hoạch và biên bản lễ phát động thi đua năm 2021; 100% CĐCS đăng ký thi đua.",
    "tuyen-truyen": "Tin, bài trên Trang thông tin điện tử và Facebook Công đoàn Quảng Trị.",
    "mo-hinh-diem": "Theo báo cáo tổng kết năm 2021.",
    "sang-kien": "Theo báo cáo tổng kết năm 2021.",
    "cham-lo": "Báo cáo chăm lo Tết, hỗ trợ đoàn viên khó khăn do dịch Covid-19.",
}
REVIEW = ("QT.TX", "tuyen-truyen", 11, "Chưa có tin, bài trên báo, đài của tỉnh; trừ 2 điểm.")


def load_scoring_demo(*, province, officer) -> None:
    """The province's published scoring table for its demo cluster, each member's year report and
    score sheet for 2021 (self-assessed, submitted) and one reviewer's change with its reason."""
    cluster = Cluster.objects.get(unit=province, name=SCORING_CLUSTER)
    members = {
        m.unit.code: m.unit
        for m in ClusterMember.objects.filter(cluster=cluster, left_on__isnull=True).select_related("unit")
    }
    year_form = ReportForm.objects.get(unit=province, code="TK-NAM")
    version = year_form.versions.get(status=FormVersion.Status.PUBLISHED)
    req = request_create(
        version=version,
        unit=province,
        title="Báo cáo tổng kết phong trào thi đua năm 2021 của Cụm thi đua số 1",
        period="Tổng kết năm 2021",
        unit_ids=[u.pk for u in members.values()],
        due_on=datetime.date(2021, 12, 15),
        by=officer,
    )
    for code, unit in sorted(members.items()):
        pilots, initiatives, _manual = SCORING_UNITS[code]
        report_save(
            report=report_get_or_create(request=req, unit=unit),
            raw={
                "units_registered": "12",
                "members_registered": str(min(unit.member_count, 150)),
                "participation_rate": "92",
                "review_held": "co",
                "pilot_models": str(pilots),
                "good_practices": "3",
                "initiatives": str(initiatives),
                "initiative_value": str(20_000_000 * initiatives),
                "contest_entries": "5",
                "helped_members": str(min(unit.member_count, 6)),
                "helped_women": str(min(unit.member_count, 3)),
                "support_amount": str(1_500_000 * min(unit.member_count, 6)),
                "exemplary_families": "2",
                "assessment": "Hoàn thành tốt các chỉ tiêu thi đua năm 2021.",
            },
            by=officer,
            submit=True,
        )
    table = scoring_table_create(
        unit=province,
        name=SCORING_TABLE,
        effective_from=datetime.date(2021, 1, 1),
        clusters=[cluster],
        form_version=version,
        tie_break="first_criterion",
        by=officer,
    )
    scoring_table_update(
        table=table,
        name=SCORING_TABLE,
        effective_from=table.effective_from,
        clusters=[cluster],
        form_version=version,
        tie_break=table.tie_break,
        criteria=[
            {"code": c, "label": label, "max_points": Decimal(mx), "method": method, "rule": rule}
            for c, label, mx, method, rule in CRITERIA
        ],
        by=officer,
    )
    table = scoring_table_publish(table=table, by=officer)
    criteria = {c.code: c for c in table.criteria.all()}
    for code, unit in sorted(members.items()):
        manual = SCORING_UNITS[code][2]
        sheet = sheet_get_or_create(table=table, unit=unit, year=2021, cluster=cluster)
        entries = {
            criterion.pk: (Decimal(manual[c]) if c in manual else None, EVIDENCE[c])
            for c, criterion in criteria.items()
        }
        sheet_self_assess(sheet=sheet, entries=entries, by=officer)
        sheet_submit(sheet=sheet, by=officer)
        if code == REVIEW[0]:
            score = sheet.scores.get(criterion=criteria[REVIEW[1]])
            score_change(score=score, new_points=Decimal(REVIEW[2]), reason=REVIEW[3], by=officer)
