"""Member roll-ups (org.selectors.units) against the best hand-written SQL, alternated.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/rollup_bench.py

Read-only. Cases (app | floor), each alternated --rounds times (bench/common.py):
  national, every province   members_per_province()    | one GROUP BY of the maintained
                             unit counts by 2-step prefix, members only (the selector also sums
                             women and active units, the page's answer does not need them)
  national, the root         unit_rollup(root)         | the three sums over the whole table
                             (no path condition: every unit is under the root)
  biggest province           unit_rollup(province)     | the three sums over the path range
  biggest province, children unit_children(province)   | children and their roll-ups in one
                             query (the app takes two)
  rare: one grassroots union unit_rollup(leaf)         | its own row by primary key (a leaf's
                             subtree is itself: the page has the unit, numchild = 0)
Also, once, the live COUNT(*) over members for reference (what the maintained counts save).
Goal: app <= 1.5x floor (ratio of mins). Exits non-zero when any answer differs.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Case, alternate, describe_db, report, setup, sql_rows  # noqa: E402

STEP = 4  # treebeard steplen of org.Unit (bench/generate.py builds the paths with it)

PROVINCES_SQL = f"""
SELECT p.id, s.members
FROM (SELECT substr(path, 1, {2 * STEP}) AS prefix, sum(member_count) AS members
      FROM org_unit WHERE depth >= 2 GROUP BY 1) s
JOIN org_unit p ON p.path = s.prefix AND p.depth = 2
"""
WHOLE_SQL = """
SELECT coalesce(sum(member_count), 0), coalesce(sum(female_count), 0),
       count(*) FILTER (WHERE status = 'active')
FROM org_unit
"""
SUBTREE_SQL = """
SELECT coalesce(sum(member_count), 0), coalesce(sum(female_count), 0),
       count(*) FILTER (WHERE status = 'active')
FROM org_unit WHERE path LIKE %s
"""
CHILDREN_SQL = """
SELECT c.id, s.members, s.female, s.units - 1
FROM org_unit c
JOIN (SELECT substr(path, 1, %(width)s) AS prefix, sum(member_count) AS members,
             sum(female_count) AS female, count(*) FILTER (WHERE status = 'active') AS units
      FROM org_unit WHERE path LIKE %(below)s GROUP BY 1) s ON s.prefix = c.path
WHERE c.path LIKE %(below)s AND c.depth = %(depth)s AND c.status = 'active'
ORDER BY c.path
"""
LEAF_SQL = "SELECT member_count, female_count, 0 FROM org_unit WHERE id = %s"
LIVE_SQL = f"""
SELECT p.id, count(*)
FROM org_member m
JOIN org_unit u ON u.id = m.unit_id
JOIN org_unit p ON p.path = substr(u.path, 1, {2 * STEP}) AND p.depth = 2
WHERE m.status = 'active'
GROUP BY p.id
"""


def triple(row) -> dict:
    return {"members": int(row[0] or 0), "female": int(row[1] or 0), "units": int(row[2] or 0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-live", action="store_true", help="skip the live COUNT(*) reference")
    args = parser.parse_args()
    setup()
    from org.models import Member, Unit
    from org.selectors.units import members_per_province, unit_children, unit_rollup

    root = Unit.objects.get(depth=1)
    per_province = members_per_province()
    biggest = Unit.objects.get(pk=max(per_province, key=per_province.get))
    leaf = (
        Unit.objects.filter(numchild=0, member_count__gt=0, path__startswith=biggest.path)
        .order_by("path")
        .first()
    )
    print(
        f"database: {describe_db()}; {Unit.objects.count():,} units, {len(per_province)} depth-2 units, "
        f"{Member.objects.count():,} members; biggest province {biggest.name} "
        f"({per_province[biggest.pk]:,} members); leaf {leaf.name} ({leaf.member_count} members)"
    )

    def provinces_floor():
        return {pk: int(n or 0) for pk, n in sql_rows(PROVINCES_SQL)}

    def children_app():
        return [
            (c.pk, c.rollup["members"], c.rollup["female"], c.rollup["units"])
            for c in unit_children(unit=biggest)
        ]

    def children_floor():
        params = {
            "width": STEP * (biggest.depth + 1),
            "below": biggest.path + "%",
            "depth": biggest.depth + 1,
        }
        return [tuple(int(x or 0) for x in row) for row in sql_rows(CHILDREN_SQL, params)]

    def with_zeros(app, floor):  # provinces without members are absent from a GROUP BY
        return app == {pk: floor.get(pk, 0) for pk in app} and set(floor) <= set(app)

    cases = [
        Case("national: members of every province", members_per_province, provinces_floor, same=with_zeros),
        Case("national: root roll-up", lambda: unit_rollup(unit=root), lambda: _whole(root)),
        Case(
            f"biggest province ({biggest.code}): roll-up",
            lambda: unit_rollup(unit=biggest),
            lambda: _subtree(biggest),
        ),
        Case(f"biggest province ({biggest.code}): children", children_app, children_floor),
        Case(
            "rare: one grassroots union",
            lambda: unit_rollup(unit=leaf),
            lambda: triple(sql_rows(LEAF_SQL, [leaf.pk])[0]),
        ),
    ]
    outcomes = alternate(cases, rounds=args.rounds)
    if not args.no_live:
        t = time.perf_counter()
        live = {pk: int(n) for pk, n in sql_rows(LIVE_SQL)}
        live_s = time.perf_counter() - t
        print(f"live COUNT(*) over members, every province (reference, once): {live_s * 1000:,.1f} ms")
        if not with_zeros(per_province, live):
            sys.exit("MISMATCH: maintained counts differ from the live COUNT(*)")
    report(outcomes, goal=1.5)


def _whole(root) -> dict:
    """The root's roll-up: the whole table, minus the root itself among the active units."""
    figures = triple(sql_rows(WHOLE_SQL)[0])
    if root.is_active and figures["units"]:
        figures["units"] -= 1
    return figures


def _subtree(unit) -> dict:
    figures = triple(sql_rows(SUBTREE_SQL, [unit.path + "%"])[0])
    if unit.is_active and figures["units"]:
        figures["units"] -= 1
    return figures


if __name__ == "__main__":
    main()
