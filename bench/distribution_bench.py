"""A national plan issued to every unit: the distribution task, then the pages after it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/distribution_bench.py

Needs a tree made by bench/generate.py (never resets it). Each run creates a fresh plan of the
confederation ("BENCH – phân phối toàn quốc"), issues it with `plan_issue(deliver_below=True)`
(the task is only queued, as on a server with the database task backend), then runs the queued
`plan_distribute` task body once and times it: one PlanDelivery row per active unit below the
confederation (≈130,000). Then it times, best of --repeat, with Django's test client:
  - the plan page of the confederation's officer (delivery status over every unit),
  - the inbox of one grassroots union's officer,
  - the plan's dashboard for the confederation,
  - the API list of campaigns for the grassroots officer,
and prints the number of SQL queries of each (bounded whatever the tree size).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
from common import describe_db, setup  # noqa: E402

PLAN_TITLE = "BENCH – phân phối toàn quốc"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup(migrate=True)

    import datetime

    from django.db import connection, reset_queries
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

    boss, _ = User.objects.get_or_create(username="bench.tld", defaults={"unit": root})
    clerk, _ = User.objects.get_or_create(username="bench.cdcs", defaults={"unit": grassroots})
    Role.objects.get_or_create(user=boss, unit=root, kind=Role.Kind.OFFICER)
    Role.objects.get_or_create(user=clerk, unit=grassroots, kind=Role.Kind.OFFICER)

    plan = plan_create(
        unit=root,
        year=2026,
        title=PLAN_TITLE,
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
    issue_s = time.perf_counter() - t
    t = time.perf_counter()
    reached = plan_distribute.call(plan.pk, True)
    distribute_s = time.perf_counter() - t
    deliveries = PlanDelivery.objects.filter(plan=plan).count()
    print(f"plan_issue (validate, save, queue the task): {issue_s * 1000:8.1f} ms")
    print(
        f"plan_distribute task: {reached:,} units reached, {deliveries:,} deliveries in {distribute_s:.2f} s "
        f"({deliveries / distribute_s:,.0f} rows/s)"
    )

    pages = [
        ("plan page, confederation officer", boss, reverse("campaigns:plan-detail", args=[plan.pk])),
        ("inbox, grassroots officer", clerk, reverse("campaigns:inbox")),
        ("dashboard, confederation", boss, reverse("campaigns:dashboard", args=[plan.pk])),
        ("API campaigns list, grassroots officer", clerk, "/api/campaigns/"),
    ]
    print(f"{'page':42} {'status':>6} {'best ms':>9} {'queries':>8}")
    for label, user, url in pages:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        best = float("inf")
        status = None
        for _ in range(args.repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                best = min(best, time.perf_counter() - t)
            status = response.status_code
        print(f"{label:42} {status:>6} {best * 1000:9.1f} {len(ctx.captured_queries):8d}")


if __name__ == "__main__":
    main()
