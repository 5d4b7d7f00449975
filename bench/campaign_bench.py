"""Target progress for the whole country: the app's selector vs hand-written SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/campaign_bench.py

Needs a tree made by bench/generate.py (never resets it). On first run it adds a national plan
("BENCH – kế hoạch thi đua toàn quốc") with two targets: a REGISTRATION target for grassroots
unions and a PILOT_MODEL target (at least 1) for upper-level unions; then registrations for ~60%
of grassroots unions (plus ~10% drafts, which must not count) and a pilot model for ~half of the
upper-level unions (in one of their grassroots unions; a few "planned" ones that must not count).
Later runs reuse them.

With --rollback (a shared database) they are built in a transaction rolled back at the end.

Cases (app | floor), alternated --rounds times (bench/common.py), for the country and the biggest
province, both targets, the total and every active child:
  app     campaigns.selectors.targets.target_progress + target_progress_by_child
  floor   one hand-written query per target grouped by child (the total is the sum of the groups;
          no path condition at the root)
Goal: app <= 1.5x floor. Exits non-zero when the figures differ.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Case, alternate, describe_db, fastest, report, setup, sql_rows  # noqa: E402

PLAN_TITLE = "BENCH – kế hoạch thi đua toàn quốc"
BATCH = 10_000

# The floors: ONE registration query grouped by child (a join or an EXISTS, the quicker per case) (the total is the sum of the groups, the
# unit itself not being a grassroots union), no path condition at the root; one pilot-model query
# (upper-level unions are all at depth 3 in generate.py's tree: a pilot model counts for the union
# whose path is the first 3 steps of its unit's path).
FLOOR_REGISTRATION_JOIN = """
SELECT substr(u.path, 1, %(width)s), count(*), count(r.id)
FROM org_unit u
LEFT JOIN campaigns_registration r ON r.unit_id = u.id AND r.plan_id = %(plan)s AND r.status = 'submitted'
WHERE u.status = 'active' AND u.kind IN {kinds} AND u.depth > %(depth)s {subtree}
GROUP BY 1
"""
FLOOR_REGISTRATION_EXISTS = """
SELECT substr(u.path, 1, %(width)s), count(*),
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM campaigns_registration r
                                      WHERE r.unit_id = u.id AND r.plan_id = %(plan)s AND r.status = 'submitted'))
FROM org_unit u
WHERE u.status = 'active' AND u.kind IN {kinds} AND u.depth > %(depth)s {subtree}
GROUP BY 1
"""
FLOOR_PILOT_MET = """
SELECT substr(u.path, 1, %(width)s) AS child, count(*) AS applicable, count(s.prefix) AS met
FROM org_unit u
LEFT JOIN (
    SELECT substr(pu.path, 1, 12) AS prefix
    FROM campaigns_pilotmodel pm JOIN org_unit pu ON pu.id = pm.unit_id
    WHERE pm.plan_id = %(plan)s AND pm.status <> 'planned' {pilot_subtree}
    GROUP BY 1 HAVING count(*) >= %(count)s
) s ON s.prefix = u.path
WHERE u.depth > %(depth)s AND u.status = 'active' AND u.kind IN {kinds} {subtree}
GROUP BY 1
"""


def in_list(level: int) -> str:
    """SQL list of the unit kinds of a level (constants from org.models, not user input)."""
    from campaigns.selectors.targets import kinds_of_level

    return "(" + ", ".join(f"'{k}'" for k in kinds_of_level(level)) + ")"


def fixtures():
    """The bench plan, its two targets, and (once) its registrations and pilot models."""
    from django.db import transaction

    from campaigns.models import PilotModel, Plan, Registration, Target
    from campaigns.selectors.targets import kinds_of_level
    from org.models import Unit, UnitLevel

    root = Unit.objects.filter(depth=1).order_by("path").first()
    plan = Plan.objects.filter(unit=root, title=PLAN_TITLE).first()
    if plan is None:
        with transaction.atomic():
            plan = Plan.objects.create(unit=root, year=2025, title=PLAN_TITLE, status=Plan.Status.ISSUED)
            Target.objects.create(
                plan=plan,
                text="100% CĐCS đăng ký thi đua",
                kind=Target.Kind.REGISTRATION,
                count=1,
                unit_level=UnitLevel.GRASSROOTS,
                position=1,
            )
            Target.objects.create(
                plan=plan,
                text="Mỗi CĐ cấp trên cơ sở ít nhất 01 mô hình điểm",
                kind=Target.Kind.PILOT_MODEL,
                count=1,
                unit_level=UnitLevel.UPPER,
                position=2,
            )
    if not Registration.objects.filter(plan=plan).exists():
        ids = Unit.objects.filter(kind__in=kinds_of_level(UnitLevel.GRASSROOTS)).values_list("id", flat=True)
        rows = []
        for uid in ids.iterator(chunk_size=BATCH):
            bucket = uid % 10
            if bucket < 6:
                rows.append(Registration(plan=plan, unit_id=uid, status=Registration.Status.SUBMITTED))
            elif bucket == 6:
                rows.append(Registration(plan=plan, unit_id=uid, status=Registration.Status.DRAFT))
        Registration.objects.bulk_create(rows, batch_size=BATCH)
        print(f"inserted {len(rows):,} registrations")
    if not PilotModel.objects.filter(plan=plan).exists():
        uppers = Unit.objects.filter(kind__in=kinds_of_level(UnitLevel.UPPER)).order_by("path")
        first_child = {}
        grassroots = Unit.objects.filter(depth=4).order_by("path").values_list("path", "id")
        for path, uid in grassroots.iterator(chunk_size=BATCH):
            first_child.setdefault(path[:12], uid)
        rows = []
        for i, upper in enumerate(uppers.only("id", "path")):
            unit_id = first_child.get(upper.path, upper.id)
            if i % 2 == 0:
                rows.append(
                    PilotModel(
                        plan=plan, unit_id=unit_id, name=f"Mô hình {i}", status=PilotModel.Status.COMPLETED
                    )
                )
            elif i % 7 == 1:
                rows.append(
                    PilotModel(
                        plan=plan, unit_id=unit_id, name=f"Dự kiến {i}", status=PilotModel.Status.PLANNED
                    )
                )
        PilotModel.objects.bulk_create(rows, batch_size=BATCH)
        print(f"inserted {len(rows):,} pilot models")
    from django.db import connection

    with connection.cursor() as c:  # fresh statistics for both sides' plans
        c.execute("ANALYZE campaigns_registration; ANALYZE campaigns_pilotmodel")
    reg_target = plan.targets.get(kind=Target.Kind.REGISTRATION)
    pilot_target = plan.targets.get(kind=Target.Kind.PILOT_MODEL)
    return root, plan, reg_target, pilot_target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--rollback", action="store_true", help="build the bench plan in a transaction rolled back at the end"
    )
    args = parser.parse_args()
    setup()
    from django.db import transaction

    if not args.rollback:
        run(args)
        return
    with transaction.atomic():
        run(args)
        transaction.set_rollback(True)
    print("rolled back: the bench plan is gone")


def run(args) -> None:
    from campaigns.selectors.targets import active_children, target_progress, target_progress_by_child
    from org.models import Unit, UnitLevel
    from org.selectors.units import members_per_province

    print(f"database: {describe_db()}; {Unit.objects.count():,} units")
    root, plan, reg_target, pilot_target = fixtures()
    sizes = members_per_province()
    biggest = Unit.objects.get(pk=max(sizes, key=sizes.get))

    def app(unit, children):
        out = {}
        for t in (reg_target, pilot_target):
            p = target_progress(target=t, unit=unit)
            out[(t.kind, "total")] = (p.applicable, p.met)
            for c in target_progress_by_child(target=t, unit=unit, children=children):
                out[(t.kind, c.unit.path)] = (c.applicable, c.met)
        return out

    def floor(unit, children, registration_sql):
        width = Unit.steplen * (unit.depth + 1)
        base = {"plan": plan.pk, "depth": unit.depth, "width": width, "prefix": unit.path + "%"}
        subtree = "" if unit.depth == 1 else "AND u.path LIKE %(prefix)s"
        pilot_subtree = "" if unit.depth == 1 else "AND pu.path LIKE %(prefix)s"
        out = {}
        for kind, sql, params in (
            (
                "registration",
                registration_sql.format(kinds=in_list(UnitLevel.GRASSROOTS), subtree=subtree),
                base,
            ),
            (
                "pilot_model",
                FLOOR_PILOT_MET.format(
                    kinds=in_list(UnitLevel.UPPER), subtree=subtree, pilot_subtree=pilot_subtree
                ),
                {**base, "count": pilot_target.count},
            ),
        ):
            rows = sql_rows(sql, params)
            out[(kind, "total")] = (sum(r[1] for r in rows), sum(r[2] for r in rows))
            got = {path: (applicable, met) for path, applicable, met in rows}
            for c in children:  # active children only, zeros where nothing applies
                out[(kind, c.path)] = got.get(c.path, (0, 0))
        return out

    cases = []
    for label, unit in (("national", root), (f"biggest province ({biggest.code})", biggest)):
        children = active_children(unit=unit)
        name, best = fastest(
            {
                f"registrations {shape}": lambda unit=unit, children=children, sql=sql: floor(
                    unit, children, sql
                )
                for shape, sql in (
                    ("joined", FLOOR_REGISTRATION_JOIN),
                    ("by EXISTS", FLOOR_REGISTRATION_EXISTS),
                )
            }
        )
        cases.append(
            Case(
                f"{label}: 2 targets, total + {len(children)} children",
                lambda unit=unit, children=children: app(unit, children),
                best,
                note=f"floor: {name}",
            )
        )
    outcomes = alternate(cases, rounds=args.rounds)
    figures = outcomes[0].answer
    print(
        f"registration target: {figures[('registration', 'total')][1]:,} of "
        f"{figures[('registration', 'total')][0]:,} grassroots unions; pilot model target: "
        f"{figures[('pilot_model', 'total')][1]:,} of {figures[('pilot_model', 'total')][0]:,} upper-level unions"
    )
    report(outcomes, goal=1.5)


if __name__ == "__main__":
    main()
