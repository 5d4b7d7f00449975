""" "Who is eligible for Chiến sĩ thi đua cấp tỉnh": the app's SQL (awards.selectors.eligibility)
against the best hand-written queries, alternated (a script, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/eligibility_bench.py

Read-only; needs the register made by bench/awards_generate.py. Award "cstd-cap-tinh", year 2025:
active members of the subtree holding "Chiến sĩ thi đua cơ sở" (valid) in each of 2023-2025 and
an initiative recognised in 2023-2025 with effect at province level or wider (scope_level <= 1).
Written from that rule, not from the ORM, in two shapes; each case's floor is the quicker of the
two there (measured once before the rounds):
  prior first       the members whose valid CSTĐ lines cover the 3 years (partial index on
                    (award, year, member) WHERE valid), then the initiative
  initiative first  the few members with such an initiative, then their CSTĐ years by member
Both keep the subtree by the unit's path range; at the root there is no unit condition at all.
Cases: national (ids, and the count), the biggest province, the smallest province (rare).
Every run's ids (or count) must be equal on both sides, else exit status 1.
--explain prints EXPLAIN ANALYZE of the app's query for each subtree.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Case, alternate, describe_db, fastest, report, setup, sql_rows  # noqa: E402

AWARD = "cstd-cap-tinh"
PRIOR = "cstd-co-so"
YEAR = 2025

PRIOR_FIRST = """
SELECT m.id
FROM org_member m {join}
WHERE m.status = 'active' {subtree}
  AND m.id IN (
      SELECT r.member_id FROM awards_awardrecord r
      WHERE r.award_id = %(prior)s AND r.status = 'valid' AND r.year BETWEEN %(first)s AND %(last)s
      GROUP BY r.member_id HAVING count(DISTINCT r.year) = %(years)s)
  AND EXISTS (
      SELECT 1 FROM awards_initiative i
      WHERE i.member_id = m.id AND i.year BETWEEN %(first)s AND %(last)s AND i.scope_level <= 1)
"""
INITIATIVE_FIRST = """
SELECT m.id
FROM (SELECT DISTINCT member_id FROM awards_initiative
      WHERE year BETWEEN %(first)s AND %(last)s AND scope_level <= 1 AND member_id IS NOT NULL) i
JOIN org_member m ON m.id = i.member_id {join}
WHERE m.status = 'active' {subtree}
  AND (SELECT count(DISTINCT r.year) FROM awards_awardrecord r
       WHERE r.member_id = m.id AND r.award_id = %(prior)s AND r.status = 'valid'
         AND r.year BETWEEN %(first)s AND %(last)s) = %(years)s
"""


def floor_query(shape: str, unit, prior_id: int) -> tuple[str, dict]:
    params = {"prior": prior_id, "first": YEAR - 2, "last": YEAR, "years": 3}
    if unit.depth == 1:
        return shape.format(join="", subtree=""), params
    join = "JOIN org_unit u ON u.id = m.unit_id"
    return shape.format(join=join, subtree="AND u.path LIKE %(prefix)s"), {
        **params,
        "prefix": unit.path + "%",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the app's queries")
    args = parser.parse_args()
    setup()
    from django.db import connection

    from awards.models import Award
    from awards.selectors import eligibility
    from org.models import Member, Unit
    from org.selectors.units import members_per_province

    award = Award.objects.get(code=AWARD)
    prior_id = Award.objects.get(code=PRIOR).pk
    rules = eligibility.rules_of(award)
    root = Unit.objects.get(depth=1)
    sizes = members_per_province()
    biggest = Unit.objects.get(pk=max(sizes, key=sizes.get))
    smallest = Unit.objects.get(pk=min((pk for pk in sizes if sizes[pk]), key=sizes.get))
    print(
        f"database: {describe_db()}; {Member.objects.count():,} members; {award.name} ({AWARD}), {YEAR}; "
        f"biggest {biggest.name} ({sizes[biggest.pk]:,} members), smallest {smallest.name} "
        f"({sizes[smallest.pk]:,})"
    )

    def app_qs(unit):
        return eligibility.eligible_members(award=award, unit=unit, year=YEAR, rules=rules)

    def floor_ids(shape, unit):
        sql, params = floor_query(shape, unit, prior_id)
        return lambda: sorted(r[0] for r in sql_rows(sql, params))

    def floor_count(shape, unit):
        sql, params = floor_query(shape, unit, prior_id)
        return lambda: sql_rows(f"SELECT count(*) FROM ({sql}) s", params)[0][0]

    cases = []
    chosen = []
    for label, unit in (
        ("national", root),
        (f"biggest province ({biggest.code})", biggest),
        (f"rare: smallest province ({smallest.code})", smallest),
    ):
        name, floor = fastest(
            {
                "prior first": floor_ids(PRIOR_FIRST, unit),
                "initiative first": floor_ids(INITIATIVE_FIRST, unit),
            }
        )
        chosen.append(f"{label} ids: {name}")
        cases.append(
            Case(
                f"{label}: every id",
                lambda unit=unit: sorted(app_qs(unit).values_list("id", flat=True)),
                floor,
                note=f"floor: {name}",
            )
        )
        if unit is root:
            name, floor = fastest(
                {
                    "prior first": floor_count(PRIOR_FIRST, unit),
                    "initiative first": floor_count(INITIATIVE_FIRST, unit),
                }
            )
            cases.append(
                Case(f"{label}: count", lambda unit=unit: app_qs(unit).count(), floor, note=f"floor: {name}")
            )
        if args.explain:
            sql, params = app_qs(unit).values_list("id", flat=True).query.sql_with_params()
            with connection.cursor() as c:
                c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print(f"plan of the app's query, {label}:")
                print("\n".join("    " + row[0] for row in c.fetchall()))
    outcomes = alternate(cases, rounds=args.rounds)
    for o in outcomes:
        if isinstance(o.answer, list):
            print(f"{o.case.label}: {len(o.answer):,} eligible")
    report(outcomes, goal=1.5)


if __name__ == "__main__":
    main()
