"""Live roll-up of a report request over a unit's subtree, by each indicator's rule.

Everything is aggregated in SQL over ReportValue rows of each report's CURRENT version, grouped by
indicator: one query for the whole subtree whatever its size, one more for the per-child
breakdown (grouped by path prefix, like org.selectors.units.rollup_by_ancestor).

Where a report counts: under the reporting unit's path TODAY. A unit that moved during the year
(org.services.restructure.unit_move) counts in its new parent's roll-up and no longer in the old
one, for every request, past ones included: the tree of today is the one being reported on.

Weight of the weighted average: the reporting unit's members, i.e. the maintained
`Unit.member_count` summed over the reporting unit's own subtree. A leaf unit (treebeard
`numchild = 0`, every grassroots union without groups below it) uses its own count directly;
the subtree sums of reporting units that have children are read first by one small query
(none at all when grassroots report) and inlined, so the big aggregate stays a plain join.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from org import tree
from org.models import Unit
from reports.models import FormVersion, Indicator, Report, ReportRequest, ReportValue, RequestRecipient

DONE = (Report.Status.SUBMITTED, Report.Status.ACCEPTED)
NUMBER = DecimalField(max_digits=30, decimal_places=4)
TWO = Decimal("0.01")


@dataclass
class Figure:
    """One indicator's rolled value (None for 'not rolled' or when nobody reported it)."""

    indicator: Indicator
    value: Decimal | None
    reported: int  # reports that gave a value for it


@dataclass
class Rollup:
    request: ReportRequest
    unit: Unit
    figures: list[Figure]
    recipients: int
    submitted: int
    accepted: int
    missing_units: QuerySet  # recipient units of the subtree without a done report (paginate it)
    include: tuple = DONE
    children: list[dict] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return max(self.recipients - self.submitted - self.accepted, 0)

    @property
    def values(self) -> dict[str, Decimal | None]:
        return {f.indicator.code: f.value for f in self.figures}


def _current_values(*, request: ReportRequest, unit: Unit, include) -> QuerySet:
    """ReportValue rows of the current versions of the request's reports in `unit`'s subtree."""
    return ReportValue.objects.filter(
        tree.subtree_q(unit, field="version__report__unit"),
        version__report__request=request,
        version__report__status__in=include,
        version__report__current_version=F("version"),
    ).order_by()


# Written in SQL because the ORM cannot join values straight to the report whose CURRENT version
# they belong to (Report.current_version has no reverse relation): through ReportVersion it costs
# one more join over every report, 2.6x the time at national scale. The subtree conditions
# come from org.tree.
_AGGREGATE_SQL = """
SELECT {group} v.indicator_id, sum(v.number), min(v.number), max(v.number), count(v.number),
       count(*) FILTER (WHERE v.number > 0),
       sum(v.number * {weight}), sum({weight}) FILTER (WHERE v.number IS NOT NULL)
FROM reports_reportvalue v
JOIN reports_report r ON r.current_version_id = v.version_id
JOIN org_unit u ON u.id = r.unit_id
WHERE r.request_id = %s AND r.status IN ({statuses}) AND {subtree}
GROUP BY {group} v.indicator_id
"""
# Reporting units with units below them (a district answering for its subtree) and their
# subtree's members; the subquery runs for those rows only, none when grassroots report.
_NON_LEAF_SQL = """
SELECT u.id, (SELECT sum(s.member_count) FROM org_unit s WHERE {below})
FROM reports_report r JOIN org_unit u ON u.id = r.unit_id
WHERE r.request_id = %s AND u.numchild > 0 AND {subtree}
"""
_KEYS = ("total", "low", "high", "n", "yes", "wsum", "wbase")


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _weight_sql(*, request: ReportRequest, unit: Unit) -> str:
    """Members of the reporting unit's subtree: its own count when it is a leaf; otherwise the
    subtree sum read by one small query beforehand and inlined (integers only) as a CASE."""
    subtree, subtree_params = tree.subtree_sql("u", unit)
    sql = _NON_LEAF_SQL.format(below=tree.subtree_join_sql("s", "u"), subtree=subtree)
    with connection.cursor() as cursor:
        cursor.execute(sql, [request.pk, *subtree_params])
        rows = cursor.fetchall()
    if not rows:
        return "u.member_count"
    whens = " ".join(f"WHEN {int(pk)} THEN {int(members or 0)}" for pk, members in rows)
    return f"(CASE u.id {whens} ELSE u.member_count END)"


def _aggregate(*, request: ReportRequest, unit: Unit, include, by_child: bool = False) -> list[dict]:
    """Rows {prefix?, indicator_id, total, low, high, n, yes, wsum, wbase} in one query."""
    include = tuple(include)
    subtree, subtree_params = tree.subtree_sql("u", unit, strict=by_child)
    params: list = [request.pk, *include, *subtree_params]
    group = f"{tree.ancestor_key_sql('u', unit.depth + 1)}," if by_child else ""
    sql = _AGGREGATE_SQL.format(
        group=group,
        weight=_weight_sql(request=request, unit=unit),
        statuses=", ".join(["%s"] * len(include)),
        subtree=subtree,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = []
    for row in rows:
        head, tail = (row[:2], row[2:]) if by_child else ((None, row[0]), row[1:])
        item = {"prefix": head[0], "indicator_id": head[1]}
        for key, value in zip(_KEYS, tail, strict=True):
            item[key] = int(value or 0) if key in ("n", "yes", "wbase") else _dec(value)
        out.append(item)
    return out


def _figure_value(ind: Indicator, row: dict | None) -> Decimal | None:
    if row is None or ind.rollup == Indicator.Rollup.NONE or ind.kind in ("text", "file"):
        return None
    rule = ind.rollup
    if rule == Indicator.Rollup.COUNT_YES:
        return Decimal(row["yes"])
    if not row["n"]:
        return None
    if rule == Indicator.Rollup.SUM:
        return row["total"]
    if rule == Indicator.Rollup.MIN:
        return row["low"]
    if rule == Indicator.Rollup.MAX:
        return row["high"]
    if rule == Indicator.Rollup.WEIGHTED_AVG:
        if row["wbase"]:
            return (Decimal(row["wsum"]) / Decimal(row["wbase"])).quantize(TWO)
        return (Decimal(row["total"]) / row["n"]).quantize(TWO)  # nobody has members: plain mean
    return None


def _indicators(version: FormVersion) -> list[Indicator]:
    return list(version.indicators.all())


def rollup_figures(*, request: ReportRequest, unit: Unit, include=DONE) -> list[Figure]:
    """Each indicator of the request's form rolled up over the subtree of `unit` (one query)."""
    indicators = _indicators(request.version)
    rows = {r["indicator_id"]: r for r in _aggregate(request=request, unit=unit, include=include)}
    return [
        Figure(ind, _figure_value(ind, rows.get(ind.pk)), (rows.get(ind.pk) or {}).get("n", 0))
        for ind in indicators
    ]


def _recipients(*, request: ReportRequest, unit: Unit, strict: bool = False) -> QuerySet:
    return RequestRecipient.objects.filter(
        tree.subtree_q(unit, field="unit", strict=strict), request=request
    ).order_by()


def missing_units(*, request: ReportRequest, unit: Unit, include=DONE) -> QuerySet[Unit]:
    """Recipient units of the subtree with no submitted/accepted report, in tree order."""
    done = Report.objects.filter(request=request, unit=OuterRef("pk"), status__in=include)
    recipients = RequestRecipient.objects.filter(request=request).values("unit_id")
    return (
        Unit.objects.filter(tree.subtree_q(unit), pk__in=recipients)
        .exclude(Exists(done))
        .order_by(tree.tree_order())
    )


def rollup_counts(*, request: ReportRequest, unit: Unit) -> dict[str, int]:
    """Recipients of the subtree and how many submitted / accepted (one query)."""
    status = Report.objects.filter(request=OuterRef("request"), unit=OuterRef("unit")).values("status")[:1]
    return (
        _recipients(request=request, unit=unit)
        .annotate(st=Subquery(status))
        .aggregate(
            recipients=Count("id"),
            submitted=Count("id", filter=Q(st=Report.Status.SUBMITTED)),
            accepted=Count("id", filter=Q(st=Report.Status.ACCEPTED)),
        )
    )


def rollup(*, request: ReportRequest, unit: Unit, include=DONE, children: bool = False) -> Rollup:
    """The request's figures over the subtree of `unit`, with completion counts and the
    (lazy, paginate it) list of recipients still missing. The caller checks `unit` is visible."""
    include = tuple(include)
    counts = rollup_counts(request=request, unit=unit)
    result = Rollup(
        request=request,
        unit=unit,
        figures=rollup_figures(request=request, unit=unit, include=include),
        recipients=counts["recipients"],
        submitted=counts["submitted"],
        accepted=counts["accepted"],
        missing_units=missing_units(request=request, unit=unit, include=include),
        include=include,
    )
    if children:
        result.children = rollup_children(request=request, unit=unit, include=include)
    return result


def rollup_children(*, request: ReportRequest, unit: Unit, include=DONE) -> list[dict]:
    """Each child of `unit`: {unit, recipients, submitted, accepted, missing, values{code: v}}.

    Three queries whatever the tree size: the children, the completion counts grouped by path
    prefix, and the figures grouped by (path prefix, indicator)."""
    include = tuple(include)
    children = list(tree.children(unit))
    by_prefix = {tree.key(c): c for c in children}
    out = {
        tree.key(c): {"unit": c, "recipients": 0, "submitted": 0, "accepted": 0, "missing": 0, "values": {}}
        for c in children
    }
    if not children:
        return []
    status = Report.objects.filter(request=OuterRef("request"), unit=OuterRef("unit")).values("status")[:1]
    counts = (
        _recipients(request=request, unit=unit, strict=True)
        .annotate(prefix=tree.ancestor_key_expr(unit.depth + 1, field="unit"), st=Subquery(status))
        .values("prefix")
        .annotate(
            recipients=Count("id"),
            submitted=Count("id", filter=Q(st=Report.Status.SUBMITTED)),
            accepted=Count("id", filter=Q(st=Report.Status.ACCEPTED)),
        )
    )
    for row in counts:
        if row["prefix"] in out:
            entry = out[row["prefix"]]
            entry.update(recipients=row["recipients"], submitted=row["submitted"], accepted=row["accepted"])
            entry["missing"] = max(row["recipients"] - row["submitted"] - row["accepted"], 0)
    indicators = {i.pk: i for i in _indicators(request.version)}
    for row in _aggregate(request=request, unit=unit, include=include, by_child=True):
        ind = indicators.get(row["indicator_id"])
        if ind is not None and row["prefix"] in by_prefix:
            out[row["prefix"]]["values"][ind.code] = _figure_value(ind, row)
    return list(out.values())


def rollup_not_rolled(*, request: ReportRequest, unit: Unit, include=DONE, limit: int = 50) -> list[dict]:
    """Figures of 'not rolled up' indicators listed per reporting unit (first `limit` rows)."""
    codes = [i for i in _indicators(request.version) if i.rollup == Indicator.Rollup.NONE]
    if not codes:
        return []
    rows = (
        _current_values(request=request, unit=unit, include=tuple(include))
        .filter(indicator__in=codes)
        .select_related("indicator", "version__report__unit")
        .order_by(tree.tree_order("version__report__unit"), "indicator__position", "indicator_id")[:limit]
    )
    return [
        {
            "unit": r.version.report.unit,
            "indicator": r.indicator,
            "value": r.text if r.indicator.kind in ("text", "file") else r.number,
        }
        for r in rows
    ]


def rollup_diff(*, report: Report, down_request: ReportRequest) -> dict[str, tuple]:
    """{code: (reported, rolled)} for a federation's report against the roll-up of the request it
    sent down (same form; matched by indicator code). Two queries plus the report's values."""
    from reports.services.reports import report_values

    reported = report_values(report)
    rolled = rollup_figures(request=down_request, unit=report.unit)
    out: dict[str, tuple] = {}
    for fig in rolled:
        if fig.indicator.rollup == Indicator.Rollup.NONE or fig.indicator.kind in ("text", "file"):
            continue
        value = reported.get(fig.indicator.code)
        if isinstance(value, bool):
            value = Decimal(int(value))
        out[fig.indicator.code] = (value, fig.value)
    return out


def indicator_trend(*, requests: list[ReportRequest], unit: Unit, code: str) -> list[dict]:
    """The rolled value of one indicator for `unit` in each request (oldest first): one query
    per request, and a page shows a handful of phases/years."""
    out = []
    for req in sorted(requests, key=lambda r: (r.due_on, r.pk)):
        fig = next((f for f in rollup_figures(request=req, unit=unit) if f.indicator.code == code), None)
        if fig is not None:
            out.append({"request": req, "value": fig.value})
    return out


def requests_for_unit(*, unit: Unit, form_id: int) -> QuerySet[ReportRequest]:
    """Requests of a form sent by the unit or by a unit above it (newest first)."""
    return (
        ReportRequest.objects.filter(version__form_id=form_id)
        .filter(tree.ancestors_q(unit, field="unit", include_self=True) | tree.subtree_q(unit, field="unit"))
        .select_related("version__form", "unit")
        .order_by("-due_on", "-id")
    )


__all__ = [
    "DONE",
    "Figure",
    "Rollup",
    "indicator_trend",
    "missing_units",
    "requests_for_unit",
    "rollup",
    "rollup_children",
    "rollup_counts",
    "rollup_diff",
    "rollup_figures",
    "rollup_not_rolled",
]
