"""Test data for scoring: a cluster of Đông Hà's grassroots unions, a report form whose figures
feed the rules, and a table with one criterion of each method."""

from __future__ import annotations

import datetime
from decimal import Decimal

from campaigns.models import Cluster, ClusterMember
from lib.testing import make_unit
from org.models import UnitKind
from reports.models import (
    Criterion,
    FormVersion,
    Indicator,
    Report,
    ReportForm,
    ReportRequest,
    ReportValue,
    ReportVersion,
    ScoringTable,
)

YEAR = 2024
CODES = ("pilot_models", "registered", "members_total", "initiatives")


def make_cluster(*, unit, members, name="Cụm thi đua số 1") -> Cluster:
    cluster = Cluster.objects.create(unit=unit, name=name)
    for m in members:
        ClusterMember.objects.create(cluster=cluster, unit=m)
    return cluster


def make_grassroots(*, parent, code: str, name: str):
    unit = make_unit(parent, code, name, UnitKind.GRASSROOTS)
    unit.refresh_from_db()
    return unit


def make_form_version(*, unit) -> FormVersion:
    form = ReportForm.objects.create(unit=unit, code="TK", name="Báo cáo tổng kết")
    version = FormVersion.objects.create(form=form, status=FormVersion.Status.PUBLISHED)
    for i, code in enumerate(CODES):
        Indicator.objects.create(version=version, code=code, label=code, position=i)
    return version


def make_request(*, version: FormVersion, unit, due_on=datetime.date(YEAR, 11, 30)) -> ReportRequest:
    return ReportRequest.objects.create(version=version, unit=unit, title="Tổng kết", due_on=due_on)


def make_report(*, request: ReportRequest, unit, values: dict, status=Report.Status.SUBMITTED) -> Report:
    report = Report.objects.create(request=request, unit=unit, status=status)
    rv = ReportVersion.objects.create(report=report, number=1)
    indicators = {i.code: i for i in request.version.indicators.all()}
    for code, value in values.items():
        ReportValue.objects.create(version=rv, indicator=indicators[code], number=Decimal(str(value)))
    report.current_version = rv
    report.save(update_fields=["current_version"])
    return report


def make_table(
    *,
    unit,
    clusters,
    form_version=None,
    tie_break=ScoringTable.TieBreak.FIRST_CRITERION,
    published=True,
    effective_from=datetime.date(YEAR, 1, 1),
) -> ScoringTable:
    """c1 ≥ 1 pilot model -> 10; c2 registered/members × 20; c3 initiatives × 2 (max 10); c4 by hand (max 60)."""
    table = ScoringTable.objects.create(
        unit=unit,
        name="Bảng chấm điểm CĐCS",
        effective_from=effective_from,
        form_version=form_version,
        tie_break=tie_break,
        is_published=published,
    )
    table.clusters.set(clusters)
    M = Criterion.Method
    rows = [
        ("c1", M.THRESHOLD, 10, {"indicator": "pilot_models", "at_least": 1, "points": 10}),
        ("c2", M.RATIO, 20, {"numerator": "registered", "denominator": "members_total", "points": 20}),
        ("c3", M.PROPORTIONAL, 10, {"indicator": "initiatives", "points_each": 2}),
        ("c4", M.MANUAL, 60, {}),
    ]
    for i, (code, method, cap, rule) in enumerate(rows):
        Criterion.objects.create(
            table=table,
            code=code,
            label=f"Tiêu chí {code}",
            max_points=cap,
            method=method,
            rule=rule,
            position=i,
        )
    return table


class ScoringTestCase:
    """Mixin for BaseTestCase: Đông Hà's cluster (school, factory), sam (officer at the school),
    quinn (officer at Quảng Trị), the form and a published table (FIRST_CRITERION)."""

    @classmethod
    def setUpTestData(cls) -> None:
        from accounts.models import Role
        from lib.testing import make_user

        super().setUpTestData()
        cls.sam = make_user("sam", cls.school, Role.Kind.OFFICER, full_name="Sam")
        cls.quinn = make_user("quinn", cls.quangtri, Role.Kind.OFFICER, full_name="Quinn")
        cls.cluster = make_cluster(unit=cls.dongha, members=[cls.school, cls.factory])
        cls.form_version = make_form_version(unit=cls.dongha)
        cls.request = make_request(version=cls.form_version, unit=cls.dongha)
        cls.table = make_table(unit=cls.dongha, clusters=[cls.cluster], form_version=cls.form_version)

    def sheet_for(self, unit, *, manual=None, submit=True, values=None):
        """A sheet for `unit`, rule criteria from `values`, c4 self-scored `manual`, submitted."""
        from reports.services import scoring as services

        sheet = services.sheet_get_or_create(table=self.table, unit=unit, year=YEAR, cluster=self.cluster)
        if values is not None:
            services.sheet_compute(sheet=sheet, values={k: Decimal(str(v)) for k, v in values.items()})
        if manual is not None:
            c4 = self.table.criteria.get(code="c4")
            services.sheet_self_assess(sheet=sheet, entries={c4.pk: (Decimal(str(manual)), "Hồ sơ")}, by=None)
        if submit:
            services.sheet_submit(sheet=sheet, by=None)
        sheet.refresh_from_db()
        return sheet
