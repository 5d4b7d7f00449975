"""Member counts rolled up for every province: the app's selector vs hand-written SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/rollup_bench.py

Three ways to the same figures, each the best of --repeat runs:
  app          org.selectors.units.members_per_province() (maintained per-unit counts)
  hand SQL     one GROUP BY over the units table's maintained counts (members only, and
               again with the selector's three figures: members, women, active units)
  live COUNT   COUNT(*) over members joined to units, for reference (what the counts save)
Goal: app <= 1.5x hand SQL. The script exits non-zero when the figures differ.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, describe_db, setup  # noqa: E402

STEPLEN = 4

HAND_SQL = f"""
SELECT p.id, s.members
FROM (SELECT substr(path, 1, {2 * STEPLEN}) AS prefix, sum(member_count) AS members
      FROM org_unit WHERE depth >= 2 GROUP BY 1) s
JOIN org_unit p ON p.path = s.prefix AND p.depth = 2
"""

# The same three figures the selector computes (members, women, active units), for a
# like-for-like comparison; only the members are compared.
HAND3_SQL = f"""
SELECT p.id, s.members
FROM (SELECT substr(path, 1, {2 * STEPLEN}) AS prefix, sum(member_count) AS members,
             sum(female_count) AS female, count(*) FILTER (WHERE status = 'active') AS units
      FROM org_unit WHERE depth >= 2 GROUP BY 1) s
JOIN org_unit p ON p.path = s.prefix AND p.depth = 2
"""

LIVE_SQL = f"""
SELECT p.id, count(*)
FROM org_member m
JOIN org_unit u ON u.id = m.unit_id
JOIN org_unit p ON p.path = substr(u.path, 1, {2 * STEPLEN}) AND p.depth = 2
WHERE m.status = 'active'
GROUP BY p.id
"""


def run_sql(sql: str) -> dict[int, int]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(sql)
        return {pk: int(n or 0) for pk, n in c.fetchall()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--live-repeat", type=int, default=3, help="runs of the slow live COUNT(*)")
    args = parser.parse_args()
    setup()
    from org.models import Member, Unit
    from org.selectors.units import members_per_province

    provinces = Unit.objects.filter(depth=2).count()
    print(
        f"database: {describe_db()}; {Unit.objects.count():,} units, {provinces} depth-2 units, "
        f"{Member.objects.count():,} members"
    )

    app_s, app = best_of(members_per_province, repeat=args.repeat)
    hand_s, hand = best_of(lambda: run_sql(HAND_SQL), repeat=args.repeat)
    hand3_s, hand3 = best_of(lambda: run_sql(HAND3_SQL), repeat=args.repeat)
    live_s, live = best_of(lambda: run_sql(LIVE_SQL), repeat=args.live_repeat)
    for figures in (hand, hand3, live):  # provinces without members are absent from GROUP BY results
        for pk in app:
            figures.setdefault(pk, 0)

    print(f"app selector (members_per_province): {app_s * 1000:9.1f} ms")
    print(f"hand-written SQL on unit counts:     {hand_s * 1000:9.1f} ms")
    print(f"hand-written SQL, same 3 figures:    {hand3_s * 1000:9.1f} ms")
    print(f"live COUNT(*) over members:          {live_s * 1000:9.1f} ms")
    ratio = app_s / hand_s
    print(f"ratio app / hand-written: {ratio:.2f}x (goal <= 1.5x) {'OK' if ratio <= 1.5 else 'OVER GOAL'}")
    print(f"ratio app / hand-written with the same 3 figures: {app_s / hand3_s:.2f}x")
    print(f"live COUNT(*) / app: {live_s / app_s:,.0f}x")
    print(f"total members rolled up: {sum(app.values()):,}")
    if not (app == hand == hand3 == live):
        print("MISMATCH between the app's figures and the SQL figures", file=sys.stderr)
        sys.exit(1)
    print("figures equal: app == hand-written == live count")


if __name__ == "__main__":
    main()
