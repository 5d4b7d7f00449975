"""National roll-up of a 30-indicator report over every grassroots union: app vs hand SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/report_rollup_bench.py

On first run (PostgreSQL only) it migrates, then creates once and reuses afterwards: a form
"BENCH-ROLLUP-30" with 30 indicators of mixed rules, a national request to all grassroots units,
and a report for ~97% of them (2% left as drafts, 1 in 7 accepted) with one value per indicator,
written server-side by INSERT ... SELECT (≈3.9M ReportValue rows; faster than COPY from Python
since the values never leave the server). Then, best of --repeat runs:
  app        reports.selectors.rollup.rollup_figures(request, root)
  hand SQL   one GROUP BY over values joined to reports' current versions and units
  missing    the "who is missing" page query (count + first page) for one province
Goal: app <= 1.5x hand SQL. Exits non-zero when the figures differ.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, describe_db, setup  # noqa: E402

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

HAND_SQL = """
SELECT v.indicator_id, sum(v.number), min(v.number), max(v.number), count(v.number),
       count(*) FILTER (WHERE v.number > 0),
       sum(v.number * u.member_count), sum(u.member_count) FILTER (WHERE v.number IS NOT NULL)
FROM reports_reportvalue v
JOIN reports_report r ON r.current_version_id = v.version_id
JOIN org_unit u ON u.id = r.unit_id
WHERE r.request_id = %s AND r.status IN ('submitted', 'accepted') AND u.path LIKE %s
GROUP BY v.indicator_id
"""


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


def hand(request, unit) -> dict:
    from django.db import connection

    from reports.selectors.rollup import _figure_value

    with connection.cursor() as c:
        c.execute(HAND_SQL, [request.pk, unit.path + "%"])
        rows = {
            r[0]: dict(total=r[1], low=r[2], high=r[3], n=r[4], yes=r[5], wsum=r[6], wbase=r[7])
            for r in c.fetchall()
        }
    return {i.code: _figure_value(i, rows.get(i.pk)) for i in request.version.indicators.all()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup(migrate=True)
    from django.core.paginator import Paginator
    from django.db import connection

    from org.models import Unit
    from reports.models import ReportValue
    from reports.selectors.rollup import missing_units, rollup_figures

    if connection.vendor != "postgresql":
        sys.exit("run this on PostgreSQL (DATABASE_URL=postgres://...)")
    root, request = ensure_data()
    print(
        f"database: {describe_db()}; {Unit.objects.count():,} units, {ReportValue.objects.count():,} values"
    )

    def app():
        return {f.indicator.code: f.value for f in rollup_figures(request=request, unit=root)}

    app_s, app_vals = best_of(app, repeat=args.repeat)
    hand_s, hand_vals = best_of(lambda: hand(request, root), repeat=args.repeat)
    province = Unit.objects.filter(depth=2).order_by("path").first()

    def missing_page():
        page = Paginator(missing_units(request=request, unit=province), 50).page(1)
        return page.paginator.count, [u.pk for u in page.object_list]

    miss_s, (miss_n, _rows) = best_of(missing_page, repeat=args.repeat)
    print(f"app selector (rollup_figures, national): {app_s * 1000:9.1f} ms")
    print(f"hand-written SQL, same aggregates:       {hand_s * 1000:9.1f} ms")
    ratio = app_s / hand_s
    print(f"ratio app / hand-written: {ratio:.2f}x (goal <= 1.5x) {'OK' if ratio <= 1.5 else 'OVER GOAL'}")
    print(
        f"who is missing in {province.name}: {miss_n:,} units, count + first page in {miss_s * 1000:.1f} ms"
    )
    if app_vals != hand_vals:
        diff = {k: (app_vals[k], hand_vals.get(k)) for k in app_vals if app_vals[k] != hand_vals.get(k)}
        print(f"MISMATCH: {diff}", file=sys.stderr)
        sys.exit(1)
    print("figures equal: app == hand-written")


if __name__ == "__main__":
    main()
