"""Target progress for the whole country: the app's selector vs hand-written SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/campaign_bench.py

Needs a tree made by bench/generate.py (never resets it). On first run it adds a national plan
("BENCH – kế hoạch thi đua toàn quốc") with two targets: a REGISTRATION target for grassroots
unions and a PILOT_MODEL target (at least 1) for upper-level unions; then registrations for ~60%
of grassroots unions (plus ~10% drafts, which must not count) and a pilot model for ~half of the
upper-level unions (in one of their grassroots unions; a few "planned" ones that must not count).
Later runs reuse them.

Timed, best of --repeat runs:
  app     campaigns.selectors.targets.target_progress (country total) and
          target_progress_by_child (per province), for both targets
  hand    the same figures with hand-written SQL
Goal: app <= 1.5x hand. Exits non-zero when the figures differ.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, describe_db, setup  # noqa: E402

PLAN_TITLE = "BENCH – kế hoạch thi đua toàn quốc"
BATCH = 10_000

HAND_REGISTRATION = """
SELECT count(*), count(r.id)
FROM org_unit u
LEFT JOIN campaigns_registration r ON r.unit_id = u.id AND r.plan_id = %(plan)s AND r.status = 'submitted'
WHERE u.path LIKE %(root)s AND u.status = 'active' AND u.kind IN {kinds}
"""
HAND_REGISTRATION_BY_CHILD = """
SELECT substr(u.path, 1, %(width)s), count(*), count(r.id)
FROM org_unit u
LEFT JOIN campaigns_registration r ON r.unit_id = u.id AND r.plan_id = %(plan)s AND r.status = 'submitted'
WHERE u.path LIKE %(root)s AND u.depth > %(depth)s AND u.status = 'active' AND u.kind IN {kinds}
GROUP BY 1
"""
# Upper-level unions are all at depth 3 in generate.py's tree: a pilot model counts for the
# upper-level union whose path is the first 3 steps of its unit's path.
HAND_PILOT_MET = """
SELECT substr(u.path, 1, %(width)s) AS child, count(*) AS applicable, count(s.prefix) AS met
FROM org_unit u
LEFT JOIN (
    SELECT substr(pu.path, 1, 12) AS prefix
    FROM campaigns_pilotmodel pm JOIN org_unit pu ON pu.id = pm.unit_id
    WHERE pm.plan_id = %(plan)s AND pm.status <> 'planned'
    GROUP BY 1 HAVING count(*) >= %(count)s
) s ON s.prefix = u.path
WHERE u.path LIKE %(root)s AND u.depth > %(depth)s AND u.status = 'active' AND u.kind IN {kinds}
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
    reg_target = plan.targets.get(kind=Target.Kind.REGISTRATION)
    pilot_target = plan.targets.get(kind=Target.Kind.PILOT_MODEL)
    return root, plan, reg_target, pilot_target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from campaigns.selectors.targets import (
        active_children,
        target_progress,
        target_progress_by_child,
    )
    from org.models import Unit, UnitLevel

    print(f"database: {describe_db()}; {Unit.objects.count():,} units")
    root, plan, reg_target, pilot_target = fixtures()
    children = active_children(unit=root)
    width = Unit.steplen * (root.depth + 1)

    def app():
        out = {}
        for t in (reg_target, pilot_target):
            p = target_progress(target=t, unit=root)
            out[(t.kind, "total")] = (p.applicable, p.met)
            for c in target_progress_by_child(target=t, unit=root, children=children):
                out[(t.kind, c.unit.path)] = (c.applicable, c.met)
        return out

    def hand():
        out = {}
        base = {"plan": plan.pk, "root": root.path + "%", "depth": root.depth, "width": width}
        pil = {**base, "count": pilot_target.count}
        with connection.cursor() as c:
            c.execute(HAND_REGISTRATION.format(kinds=in_list(UnitLevel.GRASSROOTS)), base)
            out[("registration", "total")] = tuple(c.fetchone())
            c.execute(HAND_REGISTRATION_BY_CHILD.format(kinds=in_list(UnitLevel.GRASSROOTS)), base)
            for path, applicable, met in c.fetchall():
                out[("registration", path)] = (applicable, met)
            c.execute(HAND_PILOT_MET.format(kinds=in_list(UnitLevel.UPPER)), pil)
            rows = c.fetchall()
            out[("pilot_model", "total")] = (sum(r[1] for r in rows), sum(r[2] for r in rows))
            for path, applicable, met in rows:
                out[("pilot_model", path)] = (applicable, met)
        return out

    app_s, app_figures = best_of(app, repeat=args.repeat)
    hand_s, hand_figures = best_of(hand, repeat=args.repeat)
    for key in app_figures:  # children without applicable units are absent from GROUP BY results
        hand_figures.setdefault(key, (0, 0))

    print(
        f"registration target: {app_figures[('registration', 'total')][1]:,} of "
        f"{app_figures[('registration', 'total')][0]:,} grassroots unions"
    )
    print(
        f"pilot model target:  {app_figures[('pilot_model', 'total')][1]:,} of "
        f"{app_figures[('pilot_model', 'total')][0]:,} upper-level unions"
    )
    print(f"{len(children)} children of the root, both targets, totals + per child")
    print(f"app selector:   {app_s * 1000:9.1f} ms")
    print(f"hand SQL:       {hand_s * 1000:9.1f} ms")
    ratio = app_s / hand_s if hand_s else float("inf")
    print(f"ratio app/hand: {ratio:9.2f}x (goal <= 1.5x)")
    if app_figures != hand_figures:
        diff = {
            k: (app_figures.get(k), hand_figures.get(k))
            for k in app_figures
            if app_figures[k] != hand_figures.get(k)
        }
        print(f"FIGURES DIFFER: {list(diff.items())[:5]}")
        sys.exit(1)
    print("figures agree")


if __name__ == "__main__":
    main()
