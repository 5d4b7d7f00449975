"""Roll-up of a 30-indicator report over every grassroots union, and "who is missing": the app
against the best hand-written SQL, alternated (bench/common.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/report_rollup_bench.py [--rollback]

On first run (PostgreSQL only) it migrates, then creates once and reuses afterwards: a form
"BENCH-ROLLUP-30" with 30 indicators of mixed rules, a national request to all grassroots units,
and a report for ~97% of them (2% left as drafts, 1 in 7 accepted) with one value per indicator,
written server-side by INSERT ... SELECT (≈3.8M ReportValue rows). With --rollback (a shared
database) all of it is built in a transaction rolled back at the end (migrations are not run).
Cases (app | floor), each alternated --rounds times:
  roll-up      reports.selectors.rollup.rollup_figures | FLOOR_SQL below (no path condition at
               the root, the reporters' subtree weights only when some reporter has units below)
               for the country, the biggest province (most recipients), and one grassroots union
  who is missing  Paginator(missing_units(...), 50).page(1): count + ids | the quicker of one
               query with a window count and two queries (count, then the page), country and
               biggest province
Goal: app <= 1.5x floor. Exits non-zero when any answer differs.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Case, alternate, describe_db, fastest, report, setup, sql_rows  # noqa: E402

FORM_CODE = "BENCH-ROLLUP-30"

# (code prefix, kind, rule, how many)
PLAN = [
    ("count", "integer", "sum", 12),
    ("money", "money", "sum", 4),
    ("rate", "percent", "weighted_avg", 5),
    ("has", "boolean", "count_yes", 4),
    ("low", "integer", "min", 2),
    ("high", "integer", "max", 2),
    ("note", "text", "none", 1),
]

VALUE_SQL = """
INSERT INTO reports_reportvalue (version_id, indicator_id, number, text)
SELECT v.id, i.id,
  CASE
    WHEN i.kind = 'integer' THEN ((v.id * (i.position + 3)) %% 500)
    WHEN i.kind = 'money' THEN ((v.id * (i.position + 11)) %% 1000) * 100000
    WHEN i.kind = 'percent' THEN ((v.id * (i.position + 5)) %% 101)
    WHEN i.kind = 'boolean' THEN ((v.id + i.position) %% 2)
    ELSE NULL
  END,
  CASE WHEN i.kind = 'text' THEN 'ghi chú ' || v.id ELSE '' END
FROM reports_reportversion v
JOIN reports_report r ON r.id = v.report_id
CROSS JOIN reports_indicator i
WHERE r.request_id = %s AND i.version_id = %s
"""

# The floor, written from the rules: first, do any counted reports come from units with units
# below them (whose weight is their subtree's members)? Then values joined to their report by
# the current version and to the reporting unit for the weight: the unit's own count when every
# reporter is a leaf, else the subtree sums by one correlated subquery per reporting unit. At the
# root there is no path condition (every unit is under it). A single query computing the weights
# first (a MATERIALIZED CTE of reports, then values by version) took 15.8 s on 3.8M values against
# the app's 1-2 s: the shape below is the quickest found.
NON_LEAF_SQL = """
SELECT count(*) FROM reports_report r JOIN org_unit u ON u.id = r.unit_id
WHERE r.request_id = %(request)s AND r.status IN ('submitted', 'accepted') AND u.numchild > 0 {subtree}
"""
FLOOR_SQL = """
SELECT v.indicator_id, sum(v.number), min(v.number), max(v.number), count(v.number),
       count(*) FILTER (WHERE v.number > 0),
       sum(v.number * {weight}), sum({weight}) FILTER (WHERE v.number IS NOT NULL)
FROM reports_reportvalue v
JOIN reports_report r ON r.current_version_id = v.version_id
JOIN org_unit u ON u.id = r.unit_id
WHERE r.request_id = %(request)s AND r.status IN ('submitted', 'accepted') {subtree}
GROUP BY v.indicator_id
"""
SUBTREE_WEIGHT = """(CASE WHEN u.numchild = 0 THEN u.member_count
    ELSE (SELECT sum(s.member_count) FROM org_unit s WHERE s.path LIKE u.path || '%%') END)"""
# "Who is missing": the count and the first page of 50 in tree order, in one query (a window
# count) or in two (count, then the page), whichever is quicker for the case.
MISSING_FROM = """
FROM reports_requestrecipient rr JOIN org_unit u ON u.id = rr.unit_id
WHERE rr.request_id = %(request)s {subtree}
  AND NOT EXISTS (SELECT 1 FROM reports_report r WHERE r.request_id = %(request)s AND r.unit_id = u.id
                  AND r.status IN ('submitted', 'accepted'))
"""
MISSING_ONE_SQL = "SELECT u.id, count(*) OVER () " + MISSING_FROM + " ORDER BY u.path LIMIT 50"
MISSING_COUNT_SQL = "SELECT count(*) " + MISSING_FROM
MISSING_PAGE_SQL = "SELECT u.id " + MISSING_FROM + " ORDER BY u.path LIMIT 50"


def ensure_data():
    """The bench form, request and reports: created on the first run, reused afterwards."""
    import datetime

    from django.db import connection, transaction

    from org.models import Unit
    from reports.models import FormVersion, Indicator, Report, ReportForm, ReportRequest

    root = Unit.objects.get(depth=1)
    form, created = ReportForm.objects.get_or_create(
        unit=root, code=FORM_CODE, defaults={"name": "Bench: 30 indicators"}
    )
    version, _c = FormVersion.objects.get_or_create(
        form=form, number=1, defaults={"status": FormVersion.Status.PUBLISHED}
    )
    if not version.indicators.exists():
        position = 0
        for prefix, kind, rule, n in PLAN:
            for k in range(n):
                position += 1
                Indicator.objects.create(
                    version=version,
                    code=f"{prefix}_{k + 1}",
                    label=f"{prefix} {k + 1}",
                    kind=kind,
                    rollup=rule,
                    position=position,
                )
    request, _c = ReportRequest.objects.get_or_create(
        version=version,
        unit=root,
        title="Bench: national report",
        defaults={"due_on": datetime.date(2026, 12, 31), "unit_level": 3},
    )
    if Report.objects.filter(request=request).exists():
        return root, request
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO reports_requestrecipient (request_id, unit_id) "
            "SELECT %s, id FROM org_unit WHERE kind = 'grassroots' ON CONFLICT DO NOTHING",
            [request.pk],
        )
        c.execute(
            """INSERT INTO reports_report
                 (request_id, unit_id, status, revision, created_at, updated_at, submitted_at)
               SELECT %s, unit_id,
                 CASE WHEN unit_id %% 50 = 0 THEN 'draft' WHEN unit_id %% 7 = 0 THEN 'accepted'
                      ELSE 'submitted' END, 2, now(), now(), now()
               FROM reports_requestrecipient WHERE request_id = %s AND unit_id %% 33 <> 0""",
            [request.pk, request.pk],
        )
        c.execute(
            """INSERT INTO reports_reportversion (report_id, number, source, note, created_at)
               SELECT id, 1, 'web', '', now() FROM reports_report WHERE request_id = %s""",
            [request.pk],
        )
        c.execute(
            """UPDATE reports_report r SET current_version_id = v.id
               FROM reports_reportversion v WHERE v.report_id = r.id AND r.request_id = %s""",
            [request.pk],
        )
        c.execute(VALUE_SQL, [request.pk, version.pk])
        values = c.rowcount
    with connection.cursor() as c:
        c.execute(
            "ANALYZE reports_reportvalue; ANALYZE reports_report; ANALYZE reports_reportversion; ANALYZE reports_requestrecipient"
        )
    print(f"created {values:,} values in {time.perf_counter() - t:.1f} s")
    return root, request


def _subtree(unit) -> tuple[str, dict]:
    if unit.depth == 1:
        return "", {}
    return "AND u.path LIKE %(prefix)s", {"prefix": unit.path + "%"}


def floor_figures(request, unit, indicators) -> dict:
    from reports.selectors.rollup import _figure_value

    subtree, params = _subtree(unit)
    params = {"request": request.pk, **params}
    non_leaf = sql_rows(NON_LEAF_SQL.format(subtree=subtree), params)[0][0]
    weight = SUBTREE_WEIGHT if non_leaf else "u.member_count"
    rows = {
        r[0]: dict(total=r[1], low=r[2], high=r[3], n=r[4], yes=r[5], wsum=r[6], wbase=r[7])
        for r in sql_rows(FLOOR_SQL.format(subtree=subtree, weight=weight), params)
    }
    return {i.code: _figure_value(i, _typed(rows.get(i.pk))) for i in indicators}


def _typed(row: dict | None) -> dict | None:
    """The aggregate row as the app types it (Decimal sums, int counts), for _figure_value."""
    from decimal import Decimal

    if row is None:
        return None
    return {
        k: (int(v or 0) if k in ("n", "yes", "wbase") else None if v is None else Decimal(str(v)))
        for k, v in row.items()
    }


def floor_missing(request, unit):
    """The quicker of the two floors for this subtree: (name, function)."""
    subtree, params = _subtree(unit)
    params = {"request": request.pk, **params}

    def one():
        rows = sql_rows(MISSING_ONE_SQL.format(subtree=subtree), params)
        return (rows[0][1] if rows else 0), [r[0] for r in rows]

    def two():
        count = sql_rows(MISSING_COUNT_SQL.format(subtree=subtree), params)[0][0]
        return count, [r[0] for r in sql_rows(MISSING_PAGE_SQL.format(subtree=subtree), params)]

    return fastest({"one query, window count": one, "count, then page": two})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--rollback",
        action="store_true",
        help="build the bench report in a transaction rolled back at the end (a shared database)",
    )
    args = parser.parse_args()
    setup(migrate=not args.rollback)
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        sys.exit("run this on PostgreSQL (DATABASE_URL=postgres://...)")
    if not args.rollback:
        run(args)
        return
    with transaction.atomic():
        run(args)
        transaction.set_rollback(True)
    print("rolled back: the bench report is gone")


def run(args) -> None:
    from django.core.paginator import Paginator

    from org.models import Unit
    from reports.models import ReportValue
    from reports.selectors.rollup import missing_units, rollup_figures

    root, request = ensure_data()
    indicators = list(request.version.indicators.all())
    sizes = dict(
        sql_rows(
            "SELECT substr(u.path, 1, 8), count(*) FROM reports_requestrecipient rr "
            "JOIN org_unit u ON u.id = rr.unit_id WHERE rr.request_id = %s AND u.depth > 2 GROUP BY 1",
            [request.pk],
        )
    )
    biggest = Unit.objects.get(path=max(sizes, key=sizes.get))
    one = (
        Unit.objects.filter(path__startswith=biggest.path, numchild=0, reports__request=request)
        .order_by("path")
        .first()
    )
    print(
        f"database: {describe_db()}; {Unit.objects.count():,} units, {ReportValue.objects.count():,} values; "
        f"biggest province {biggest.name} ({sizes[biggest.path]:,} recipients); one union {one.name}"
    )

    def app_figures(unit):
        return {f.indicator.code: f.value for f in rollup_figures(request=request, unit=unit)}

    def app_missing(unit):
        page = Paginator(missing_units(request=request, unit=unit), 50).page(1)
        return page.paginator.count, [u.pk for u in page.object_list]

    cases = []
    for label, unit in (
        ("national", root),
        (f"biggest province ({biggest.code})", biggest),
        ("rare: one grassroots union", one),
    ):
        cases.append(
            Case(
                f"{label}: roll-up",
                lambda unit=unit: app_figures(unit),
                lambda unit=unit: floor_figures(request, unit, indicators),
            )
        )
    for label, unit in (("national", root), (f"biggest province ({biggest.code})", biggest)):
        name, floor = floor_missing(request, unit)
        cases.append(
            Case(
                f"{label}: who is missing (count + page 1)",
                lambda unit=unit: app_missing(unit),
                floor,
                note=f"floor: {name}",
            )
        )
    report(alternate(cases, rounds=args.rounds), goal=1.5)


if __name__ == "__main__":
    main()
