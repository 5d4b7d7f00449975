"""`manage.py load_demo [--if-empty] [--members N]`: the demo tree, members and accounts.

A table of contents: each domain's demo lives in its own module of `demo/`, called here in the
order the data depends on (units and members, accounts, the seed plan, reports, its launch,
scoring, awards), in one transaction. Deterministic: every load gives the same data.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from demo.accounts import DEMO_ACCOUNTS, load_accounts_demo
from demo.awards import load_awards_demo
from demo.campaigns import load_campaign_demo, load_launch_demo
from demo.org import load_org_demo
from demo.reports import load_report_demo, load_scoring_demo
from org.models import Unit


class Command(BaseCommand):
    help = "Load the demo data (Quảng Trị, part of Quảng Bình, members and demo accounts)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any unit exists.")
        parser.add_argument("--members", type=int, default=5000, help="How many members (default 5000).")

    def handle(self, *args, if_empty: bool = False, members: int = 5000, **options) -> None:
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("The demo data is already loaded (the database has units).")
                self.print_accounts()
                return
            raise CommandError("The database already has units; load_demo fills an empty database only.")
        started = time.monotonic()
        with transaction.atomic():
            n_members = load_org_demo(members=members)
            load_accounts_demo()
            province = Unit.objects.get(code="QT")
            officer = User.objects.get(username="tinh.quangtri")
            plan = load_campaign_demo(province=province, officer=officer)
            load_report_demo(province=province, officer=officer, plan=plan)
            load_launch_demo(plan=plan, officer=officer)
            load_scoring_demo(province=province, officer=officer)
            load_awards_demo(
                province=province, officer=officer, grassroots_officer=User.objects.get(username="cdcs.demo")
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {Unit.objects.count()} units, {n_members} members "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
        self.print_accounts()

    def print_accounts(self) -> None:
        usernames = [username for username, _ in DEMO_ACCOUNTS]
        users = {u.username: u for u in User.objects.filter(username__in=usernames).select_related("unit")}
        if not users:
            self.stdout.write("No demo accounts in this database.")
            return
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo accounts (password: {settings.DEMO_PASSWORD})"))
        for username, what in DEMO_ACCOUNTS:
            user = users.get(username)
            if user is not None:
                where = f"{user.unit.name} ({user.unit.code})" if user.unit else "-"
                self.stdout.write(f"  {username:<14} {what} {where}")
        self.stdout.write("")
