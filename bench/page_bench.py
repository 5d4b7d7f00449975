"""The province home page and unit pages through Django's stack, against a baseline request and
against the page's aggregate query alone, alternated (a script, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/page_bench.py

Leaves the database as it found it: a bench officer with a role on the biggest province (given by
accounts.services.role_grant) is created in a transaction that is rolled back at the end. Requests
go through django.test.Client (every middleware, session and authentication, template rendering;
no network), DEBUG off. Each round runs, in rotating order:
  page       GET of the page, as the province officer
  baseline   GET of the cheapest authenticated page through the same stack and base template
             (the "password changed" page: login_required, renders base.html, no query of its own)
  const      GET of a view returning a constant behind login_required (bench URL conf only): the
             cost of the middleware, session and user alone
  query      the page's aggregate query alone (the best hand-written SQL for its figures)
Printed: min and median of each, and page - baseline (what the page itself costs) against the
query. The figures shown on the page (data-testid="rollup-members") must equal the query's.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
from common import describe_db, ms, setup, sql_rows  # noqa: E402

SUBTREE_SQL = """
SELECT coalesce(sum(member_count), 0), coalesce(sum(female_count), 0),
       count(*) FILTER (WHERE status = 'active')
FROM org_unit WHERE path LIKE %s
"""
CHILDREN_SQL = """
SELECT c.id, s.members
FROM org_unit c
JOIN (SELECT substr(path, 1, %(width)s) AS prefix, sum(member_count) AS members
      FROM org_unit WHERE path LIKE %(below)s GROUP BY 1) s ON s.prefix = c.path
WHERE c.path LIKE %(below)s AND c.depth = %(depth)s AND c.status = 'active'
ORDER BY c.path
"""
MEMBERS = re.compile(r'data-testid="rollup-members">([^<]*)<')

urlpatterns = []  # filled in main(): config.urls plus the constant view


def shown_members(response) -> int:
    found = MEMBERS.search(response.content.decode())
    return int(re.sub(r"\D", "", found.group(1))) if found else -1


def run(args) -> None:
    from django.contrib.auth.decorators import login_required
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import include, path, reverse

    from accounts.models import Role, User
    from accounts.services import role_grant
    from org.models import Unit
    from org.selectors.units import members_per_province

    @login_required
    def const(request):
        return HttpResponse("ok")

    urlpatterns[:] = [path("bench/const/", const), path("", include("config.urls"))]

    sizes = members_per_province()
    province = Unit.objects.get(pk=max(sizes, key=sizes.get))
    upper = (
        Unit.objects.filter(path__startswith=province.path, depth=province.depth + 1, numchild__gt=0)
        .order_by("-numchild", "path")
        .first()
    )
    admin = User.objects.create(username="bench.page.admin", is_superuser=True, is_staff=True)
    officer = User.objects.create(username="bench.page.officer", unit=province)
    role_grant(acting_user=admin, user=officer, unit=province, kind=Role.Kind.OFFICER)
    client = Client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    print(
        f"database: {describe_db()}; province {province.name} ({sizes[province.pk]:,} members, "
        f"{province.numchild} units directly below); upper-level union {upper.name} ({upper.numchild} below)"
    )

    def get(url):
        def fn():
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url}: status {response.status_code}")
            return response

        return fn

    def subtree(unit):
        return lambda: sql_rows(SUBTREE_SQL, [unit.path + "%"])[0]

    def subtree_and_children(unit):
        params = {"width": 4 * (unit.depth + 1), "below": unit.path + "%", "depth": unit.depth + 1}
        return lambda: (sql_rows(SUBTREE_SQL, [unit.path + "%"])[0], sql_rows(CHILDREN_SQL, params))

    pages = [
        ("home page (province officer)", get(reverse("home")), subtree(province), "roll-up of the province"),
        (
            "unit page: the province",
            get(reverse("org:unit-detail", args=[province.pk])),
            subtree_and_children(province),
            "roll-up + children's roll-ups",
        ),
        (
            "unit page: an upper-level union",
            get(reverse("org:unit-detail", args=[upper.pk])),
            subtree_and_children(upper),
            "roll-up + children's roll-ups",
        ),
    ]
    baseline = get(reverse("accounts:password-change-done"))
    constant = get("/bench/const/")
    baseline(), constant()
    rows = []
    bad = []
    queries = {}
    for label, page, query, what in pages:
        sides = {"page": page, "baseline": baseline, "const": constant, "query": query}
        times = {k: [] for k in sides}
        answers = {k: fn() for k, fn in sides.items()}  # warm-up
        with CaptureQueriesContext(connection) as ctx:
            page()
        queries[label] = len(ctx.captured_queries)
        order = list(sides)
        for r in range(args.rounds):
            for k in order[r % 4 :] + order[: r % 4]:
                t = time.perf_counter()
                answers[k] = sides[k]()
                times[k].append(time.perf_counter() - t)
            figures = answers["query"][0] if isinstance(answers["query"][0], tuple) else answers["query"]
            if shown_members(answers["page"]) != int(figures[0]):
                bad.append(f"{label}: page shows {shown_members(answers['page'])}, query {figures[0]}")
        rows.append((label, times, what))
    head = (
        f"{'page':<32} {'page':>13} {'baseline':>13} {'const':>13} {'page-base':>13} {'query':>13} "
        f"{'(page-base)/query':>19}"
    )
    print(head)
    print("-" * len(head))
    for label, times, _what in rows:
        mins = {k: min(v) for k, v in times.items()}
        meds = {k: statistics.median(v) for k, v in times.items()}

        def cell(k, mins=mins, meds=meds):
            return f"{ms(mins[k])}/{ms(meds[k])}"

        extra_min = mins["page"] - mins["baseline"]
        extra_med = meds["page"] - meds["baseline"]
        print(
            f"{label:<32} {cell('page'):>13} {cell('baseline'):>13} {cell('const'):>13} "
            f"{ms(extra_min) + '/' + ms(extra_med):>13} {cell('query'):>13} "
            f"{extra_min / mins['query']:>8.2f}x /{extra_med / meds['query']:>6.2f}x"
        )
    print(
        f"(ms, min/median of {args.rounds} rounds, the four sides in rotating order after one warm-up each)"
    )
    for label, _times, what in rows:
        print(f"  {label}: query = {what}; the page runs {queries[label]} SQL queries")
    if bad:
        print("MISMATCH:\n  " + "\n  ".join(bad), file=sys.stderr)
        sys.exit(1)
    print("same figures: the members shown on each page == the query's")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.db import transaction
    from django.test.utils import override_settings

    settings.DEBUG = False
    with transaction.atomic(), override_settings(ROOT_URLCONF=__name__):
        run(args)
        transaction.set_rollback(True)
    print("rolled back: the bench accounts are gone")


if __name__ == "__main__":
    main()
