"""The load test's setup step (run by bench/load/run.py in a child process on the server's database):
the accounts and the open report request the virtual officers use, written through the project's
services, and the plan (JSON) the locustfile reads.

    DATABASE_URL=... DJANGO_SETTINGS_MODULE=... python bench/load/setup_load.py --users 200 --out plan.json

On the demo data the demo's accounts are used: `tinh.quangtri` (the province's officer and
administrator) and `admin` (the superuser, the national view). On a bench data set (no demo
accounts) a superuser `load.admin` is created, and through `accounts.services.user_create` an
officer and administrator of the first province, `load.province`, and a national officer,
`load.national`. The province's default report forms are created when it has none
(`reports.defaults.load_default_forms`).

Then every run: one officer per grassroots unit taken (`load.o<unit id>`, created once, by the
province's administrator through `user_create`, reused by later runs) and a fresh report request
(`reports.services.requests.request_create`) from the province to all its grassroots unions, so
every virtual officer has an open report to fill and submit. Prints the rows it added.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

COUNTED = [  # the tables the setup may add rows to, counted before and after
    "accounts_user",
    "accounts_role",
    "reports_reportform",
    "reports_formversion",
    "reports_indicator",
    "reports_reportrequest",
    "reports_requestrecipient",
]
# Search terms: common and rare surnames, one syllable, partial words, with and without accents.
SEARCHES = ["nguyễn", "nguyen thi", "trần văn", "le thi hoa", "ngu", "khổng", "phạm minh", "hoàng"]


def load_password() -> str:
    from django.conf import settings

    return f"thu-tai-{settings.DEMO_PASSWORD}"  # passes the password validators, unlike the demo's


def counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for table in COUNTED:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (fixed names)
            out[table] = cursor.fetchone()[0]
    return out


def officer(*, by, username: str, unit, admin: bool = False):
    """The account `username`, officer (and administrator) at `unit`, created through the services."""
    from accounts.models import Role, User
    from accounts.scoping import can_administer, can_write
    from accounts.services import role_grant, user_create

    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            acting_user=by,
            username=username,
            unit=unit,
            password=load_password(),
            role_kind=Role.Kind.OFFICER,
        )
    elif not can_write(user=user, unit=unit):
        role_grant(acting_user=by, user=user, unit=unit, kind=Role.Kind.OFFICER)
    if admin and not can_administer(user=user, unit=unit):
        role_grant(acting_user=by, user=user, unit=unit, kind=Role.Kind.ADMIN)
    return User.objects.get(pk=user.pk)  # fresh: the scope door caches a user's roles


def cast():
    """(province officer, national officer, their passwords, the province): the demo's or our own."""
    from django.conf import settings

    from accounts.models import User
    from org.models import Unit

    demo = User.objects.filter(username="tinh.quangtri").first()
    if demo is not None:
        national = User.objects.get(username="admin")
        return demo, national, settings.DEMO_PASSWORD, settings.DEMO_PASSWORD, demo.unit
    root = Unit.objects.get_first_root_node()
    province = Unit.objects.filter(depth=2, kind="province").order_by("path").first() or (
        Unit.objects.filter(depth=2).order_by("path").first()
    )
    boss = User.objects.filter(username="load.admin").first()
    if boss is None:  # the root of trust: a superuser, as the demo makes its `admin`
        boss = User.objects.create_superuser(
            username="load.admin", password=load_password(), email="", unit=root, full_name="Load test"
        )
    prov = officer(by=boss, username="load.province", unit=province, admin=True)
    national = officer(by=boss, username="load.national", unit=root)
    return prov, national, load_password(), load_password(), province


def report_version(*, province, by):
    """The province's published sơ kết form (its default forms, created when missing)."""
    from reports.defaults import load_default_forms
    from reports.models import FormVersion, ReportForm

    form = ReportForm.objects.filter(unit=province).order_by("pk").first()
    if form is None:
        return load_default_forms(unit=province, by=by, year=datetime.date.today().year)[0]
    return form.versions.filter(status=FormVersion.Status.PUBLISHED).order_by("-number").first()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200, help="grassroots officers to prepare")
    parser.add_argument("--out", required=True, help="where to write the plan (JSON)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from accounts.scoping import scoped
    from awards.models import AwardRecord, Decision
    from awards.selectors.catalogue import visible_awards
    from org import tree
    from org.models import Member, Unit, UnitLevel, UnitStatus
    from reports.services.requests import request_create

    before = counts()
    with transaction.atomic():
        prov_user, nat_user, prov_pw, nat_pw, province = cast()
        version = report_version(province=province, by=prov_user)
        stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
        req = request_create(
            version=version,
            unit=province,
            title=f"Kiểm thử tải {stamp}",
            period=f"Kiểm thử tải {stamp}",
            unit_level=UnitLevel.GRASSROOTS,
            due_on=datetime.date.today() + datetime.timedelta(days=30),
            by=prov_user,
        )
        # Grassroots unions of the province with members, spread over it (every k-th by path).
        ids = list(
            Unit.objects.filter(
                tree.subtree_q(province, strict=True),
                kind="grassroots",
                status=UnitStatus.ACTIVE,
                member_count__gt=0,
            )
            .order_by("path")
            .values_list("pk", flat=True)
        )
        skip = set(User.objects.filter(username="cdcs.demo").values_list("unit_id", flat=True))
        ids = [i for i in ids if i not in skip]  # the demo's own grassroots officer is left alone
        if len(ids) < args.users:
            sys.exit(
                f"only {len(ids)} grassroots unions with members in {province}: fewer than --users {args.users}"
            )
        step = len(ids) // args.users
        chosen = Unit.objects.in_bulk([ids[i * step] for i in range(args.users)])
        officers = []
        for unit_id, unit in sorted(chosen.items()):
            user = officer(by=prov_user, username=f"load.o{unit_id}", unit=unit)
            officers.append({"username": user.username, "password": load_password(), "unit": unit_id})

    awards = list(visible_awards(user=prov_user).filter(is_active=True).order_by("pk"))
    person_award = next((a for a in awards if a.for_persons and a.conditions.exists()), None)
    decision = (
        scoped(Decision.objects.filter(status=Decision.Status.ISSUED), user=prov_user).order_by("pk").first()
    )
    record = (
        scoped(
            AwardRecord.objects.filter(
                decision__status=Decision.Status.ISSUED, status=AwardRecord.Status.VALID
            ),
            user=prov_user,
        )
        .order_by("pk")
        .first()
    )
    names = list(
        Member.objects.filter(unit_id__in=list(chosen)[:20])
        .order_by("pk")
        .values_list("full_name", flat=True)[:4]
    )
    plan = {
        "request": req.pk,
        "province": province.pk,
        "province_officer": {"username": prov_user.username, "password": prov_pw},
        "national_officer": {"username": nat_user.username, "password": nat_pw},
        "officers": officers,
        "searches": SEARCHES + [n.lower() for n in names],
        "award": person_award.pk if person_award else None,
        "year": datetime.date.today().year,
        "decision": decision.pk if decision else None,
        "certificate": record.pk if record else None,
    }
    Path(args.out).write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    after = counts()
    added = {t: after[t] - before[t] for t in COUNTED if after[t] != before[t]}
    print(json.dumps({"request": req.pk, "province": str(province), "rows_added": added}, ensure_ascii=False))


if __name__ == "__main__":
    main()
