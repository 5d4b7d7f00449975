""" "Who is eligible for Chiến sĩ thi đua cấp tỉnh": the app's SQL (awards.selectors.eligibility)
against a hand-written query, nationally and for one province (a script, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/eligibility_bench.py

Needs the register made by bench/awards_generate.py. For the award "cstd-cap-tinh" and the year
2025, under the root unit and under one province, each run --repeat times (median reported):
  app count   eligibility.eligible_members(...).count()
  app ids     every id of eligible_members(...), fetched
  hand ids    the hand-written SQL below, every id fetched
The two id sets must be equal (exit status 1 otherwise). Goals: national < 30 s, province < 1 s.
--explain prints EXPLAIN ANALYZE of the app's query for the province.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import describe_db, setup  # noqa: E402

AWARD = "cstd-cap-tinh"
YEAR = 2025
GOALS = {"national": 30.0, "province": 1.0}

# Written from the regulation, not from the ORM: active members of the subtree who hold
# "Chiến sĩ thi đua cơ sở" (valid) in each of 2023, 2024 and 2025, and an initiative recognised
# in 2023–2025 with effect at province level or wider (scope_level 0 national, 1 province).
HAND_SQL = """
SELECT m.id
FROM org_member m
JOIN org_unit u ON u.id = m.unit_id
WHERE m.status = 'active'
  AND u.path LIKE %(prefix)s
  AND m.id IN (
      SELECT r.member_id
      FROM awards_awardrecord r
      JOIN awards_award a ON a.id = r.award_id
      WHERE a.code = 'cstd-co-so' AND r.status = 'valid' AND r.year BETWEEN %(first)s AND %(last)s
        AND r.member_id IS NOT NULL
      GROUP BY r.member_id
      HAVING count(DISTINCT r.year) = %(last)s - %(first)s + 1
  )
  AND EXISTS (
      SELECT 1 FROM awards_initiative i
      WHERE i.member_id = m.id AND i.year BETWEEN %(first)s AND %(last)s AND i.scope_level <= 1
  )
"""


def hand_ids(unit) -> list[int]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(HAND_SQL, {"prefix": unit.path + "%", "first": YEAR - 2, "last": YEAR})
        return [row[0] for row in c.fetchall()]


def timed(fn, repeat: int) -> tuple[float, list[float], object]:
    """Median and every wall time (seconds) of `repeat` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--province", default="P001", help="code of the province unit (default: Hà Nội)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the app's queries")
    args = parser.parse_args()
    setup()
    from django.db import connection

    from awards.models import Award
    from awards.selectors import eligibility
    from org.models import Unit

    print(f"database: {describe_db()}")
    award = Award.objects.get(code=AWARD)
    rules = eligibility.rules_of(award)
    root = Unit.objects.filter(depth=1).order_by("path").first()
    province = Unit.objects.get(code=args.province)
    ok = True
    print(f"{award.name} ({AWARD}), {YEAR}; each figure the median of {args.repeat} runs")
    print(
        f"{'subtree':<34} {'eligible':>9} {'app count':>10} {'app ids':>9} {'hand ids':>9} {'ratio':>6}  goal"
    )
    for label, unit in (("national", root), ("province", province)):

        def app_qs(unit=unit):
            return eligibility.eligible_members(award=award, unit=unit, year=YEAR, rules=rules)

        count_s, _, count = timed(lambda: app_qs().count(), args.repeat)
        app_s, app_all, app = timed(lambda: list(app_qs().values_list("id", flat=True)), args.repeat)
        hand_s, hand_all, hand = timed(lambda unit=unit: hand_ids(unit), args.repeat)
        same = set(app) == set(hand) and len(app) == len(hand) == count
        ok = ok and same
        slowest = max(count_s, app_s)
        verdict = "OK" if slowest < GOALS[label] else "OVER"
        print(
            f"{label + ' (' + unit.name[:22] + ')':<34} {len(hand):>9,} {count_s * 1000:>8.0f}ms "
            f"{app_s * 1000:>7.0f}ms {hand_s * 1000:>7.0f}ms {app_s / hand_s:>5.2f}x  "
            f"< {GOALS[label]:g} s {verdict}"
        )
        print(
            f"{'':<34} runs: app ids {', '.join(f'{t * 1000:.0f}' for t in app_all)} ms; "
            f"hand {', '.join(f'{t * 1000:.0f}' for t in hand_all)} ms; same set: {same}"
        )
        if args.explain:
            sql, params = app_qs().values_list("id", flat=True).query.sql_with_params()
            with connection.cursor() as c:
                c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print("\n".join("    " + row[0] for row in c.fetchall()))
    if not ok:
        sys.exit("The app's list and the hand-written query differ.")
    print("same answer: app == hand-written SQL (national and province)")


if __name__ == "__main__":
    main()
