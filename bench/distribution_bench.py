"""A national plan issued to every unit: the distribution task against one INSERT … SELECT, and
the pages after it against a baseline page, alternated (bench/common.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/distribution_bench.py

Needs a tree made by bench/generate.py. Everything happens in one transaction rolled back at the
end (the database is left as found). Two plans of the confederation are issued with
`plan_issue(deliver_below=True)` (the task only queued, as with the database task backend); then:
  distribute   the queued `plan_distribute` task body for plan A | FLOOR_SQL for plan B: one
               INSERT … SELECT of every active unit below the confederation. Each side's
               deliveries are deleted before its run (untimed); the delivered unit sets must match.
  pages        GET through Django's test client (plan page and dashboard of the confederation's
               officer, inbox and API campaign list of a grassroots union's officer) | the
               baseline page (`accounts:password-change-done`: authenticated, base template, no
               query of its own) for the same user: what the page costs above the fixed cost.
The number of SQL queries of each page is printed (bounded whatever the tree size).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
from common import Case, Outcome, alternate, describe_db, report, setup  # noqa: E402

PLAN_TITLE = "BENCH – phân phối toàn quốc"


FLOOR_SQL = """
INSERT INTO campaigns_plandelivery (plan_id, unit_id, delivered_at)
SELECT %(plan)s, u.id, now() FROM org_unit u
WHERE u.path LIKE %(below)s AND u.depth > %(depth)s AND u.status = 'active'
ON CONFLICT DO NOTHING
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of the distribution (pages: twice that)"
    )
    args = parser.parse_args()
    setup()
    from django.db import transaction

    with transaction.atomic():
        run(args)
        transaction.set_rollback(True)
    print("rolled back: the bench plans, deliveries and accounts are gone")


def run(args) -> None:
    import datetime

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import Role, User
    from campaigns.models import Duty, Phase, PlanDelivery, Target
    from campaigns.services.plans import plan_create, plan_issue
    from campaigns.tasks import plan_distribute
    from org.models import Unit, UnitKind, UnitLevel

    print(f"database: {describe_db()}")
    root = Unit.objects.get_first_root_node()
    if root is None:
        sys.exit("no units: run bench/generate.py first")
    grassroots = Unit.objects.filter(kind=UnitKind.GRASSROOTS).order_by("path").first()
    boss = User.objects.create(username="bench.dist.tld", unit=root)
    clerk = User.objects.create(username="bench.dist.cdcs", unit=grassroots)
    Role.objects.create(user=boss, unit=root, kind=Role.Kind.OFFICER)
    Role.objects.create(user=clerk, unit=grassroots, kind=Role.Kind.OFFICER)

    def new_plan(title):
        plan = plan_create(
            unit=root,
            year=2026,
            title=title,
            created_by=boss,
            number="1/KH-TLĐ",
            place="Hà Nội",
            issued_on=datetime.date(2026, 1, 5),
            signer_authority="TM. ĐOÀN CHỦ TỊCH",
            signer_title="CHỦ TỊCH",
            signer_name="Người ký",
        )
        Phase.objects.create(
            plan=plan, name="Đợt 1", start=datetime.date(2026, 1, 5), end=datetime.date(2026, 12, 31)
        )
        duty = Duty.objects.create(plan=plan, level=Duty.Level.GRASSROOTS, items=["Đăng ký thi đua"])
        Target.objects.create(
            plan=plan,
            duty=duty,
            text="Mọi CĐCS đăng ký",
            kind=Target.Kind.REGISTRATION,
            count=1,
            unit_level=UnitLevel.GRASSROOTS,
        )
        t = time.perf_counter()
        plan_issue(plan=plan, issued_by=boss, deliver_below=True)
        return plan, time.perf_counter() - t

    plan, issue_s = new_plan(PLAN_TITLE)
    other, _ = new_plan(PLAN_TITLE + " (floor)")
    print(f"plan_issue (validate, save, queue the task): {issue_s * 1000:8.1f} ms")

    def delivered(pk):
        return sorted(PlanDelivery.objects.filter(plan_id=pk).values_list("unit_id", flat=True))

    def app_distribute():
        return plan_distribute.call(plan.pk, True)

    def floor_distribute():
        return sql_count(FLOOR_SQL, {"plan": other.pk, "below": root.path + "%", "depth": root.depth})

    # The distribution writes: each side starts from an empty inbox set, cleared untimed.
    times = {"app": [], "floor": []}
    for r in range(args.rounds + 1):
        order = [("app", plan.pk, app_distribute), ("floor", other.pk, floor_distribute)]
        for side, pk, fn in order if r % 2 == 0 else order[::-1]:
            PlanDelivery.objects.filter(plan_id=pk).delete()
            t = time.perf_counter()
            fn()
            if r:  # round 0 is the warm-up
                times[side].append(time.perf_counter() - t)
    app_units, floor_units = delivered(plan.pk), delivered(other.pk)
    outcome = Outcome(
        Case(f"plan_distribute, {len(app_units):,} deliveries", app_distribute, floor_distribute),
        app=times["app"],
        floor=times["floor"],
        mismatch="" if app_units == floor_units else f"{len(app_units):,} units vs {len(floor_units):,}",
    )

    pages = [
        ("plan page, confederation officer", boss, reverse("campaigns:plan-detail", args=[plan.pk])),
        ("inbox, grassroots officer", clerk, reverse("campaigns:inbox")),
        ("dashboard, confederation", boss, reverse("campaigns:dashboard", args=[plan.pk])),
        ("API campaigns list, grassroots officer", clerk, "/api/campaigns/"),
    ]
    baseline_url = reverse("accounts:password-change-done")
    cases, queries = [], {}
    for label, user, url in pages:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries[label] = len(ctx.captured_queries)
        cases.append(
            Case(
                label,
                lambda client=client, url=url: client.get(url).status_code,
                lambda client=client: client.get(baseline_url).status_code,
                note=f"{queries[label]} queries",
            )
        )
    print("distribution: app = the task body, floor = one INSERT … SELECT")
    report([outcome], goal=1.5)
    print("pages: app = the page, floor = the baseline page for the same user")
    report(alternate(cases, rounds=2 * args.rounds), app_name="page")


def sql_count(sql: str, params) -> int:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(sql, params)
        return c.rowcount


if __name__ == "__main__":
    main()
