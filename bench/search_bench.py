"""Member search at national scale: the page the officer gets vs the best hand-written SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/search_bench.py

PostgreSQL only (the floors are PostgreSQL SQL). For every query and two users, the national
superuser and the officer of the province whose members come last in table order (the worst
case for a scan hoping to stop early), in each of --rounds rounds, alternating:

- app: `org.selectors.members.member_page(...)`, what the list view runs (ordered, paged, scoped,
  the unit of each row fetched), model instances and all;
- page: the view itself (`org.views.members.member_list` through RequestFactory, template
  rendered), the page the officer gets;
- floors: hand-written SQL for the same page (same 50 rows in the same order, the same size of
  the result set, the unit name of each row) in one statement, several shapes: `same-shape`
  (the app's plan written by hand), `gin-only` (the bounded CTE without the typed-prefix
  branch), `sort-all` (every match sorted, the obvious query; the same answer only when no more
  than the cap match), and when a word of the query begins no common word, `rare-first` and
  `rare-sort` (that word's rows through the GIN index first, bounded or sorted whole). A floor
  whose answer differs from the app's is not counted (shown as "≠"); one slower than 5 s on
  its first run is stopped and not repeated. The floor of a case is the fastest floor giving the same
  answer, by median.

Min and median in ms; ratio = app median / floor median (goal <= 1.5) and the page median
(goal < 300 ms). The officer and the role exist only inside a transaction rolled back at the
end. EXPLAIN ANALYZE of the app's query for the rare name is printed for both users.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import describe_db, setup  # noqa: E402

ISSUE_CASES = [
    ("issue: common full name", "nguyen thi thu ha"),
    ("issue: common surname", "nguyen"),
    ("issue: 3-letter prefix", "ngu"),
    ("issue: rare surname (5)", "khổng"),
]
OWN_CASES = [
    ("rare full name, accents (5)", "Khổng Thị Diệp"),
    ("rare full name, no accents", "khong thi diep"),
    ("rare given name alone", "diep"),
    ("rare given + surname", "diep khong"),
    ("unknown word", "xyzzy"),
    ("common + unknown word", "nguyen van zzz"),
    ("common full name, male", "tran van hung"),
    ("common full name, 4 words", "le thi hong nhung"),
    ("full name, capitals+accents", "HOÀNG VĂN NAM"),
    ("uncommon full name (~150)", "cao quoc tin"),
    ("uncommon full name, accents", "Lý Diệu Sương"),
    ("surname alone", "phạm"),
    ("middle name alone", "thi"),
    ("given name alone", "quyên"),
    ("one letter", "k"),
    ("two letters", "ng"),
    ("partial words", "tr th"),
    ("partial surname + initial", "huynh d"),
    ("given name first", "thuy dang"),
    ("two words, no accents", "do dinh"),
]
CASES = ISSUE_CASES + OWN_CASES
PER_PAGE = 50


def floor_sqls(q: str, scope_sql: str, scope_params: list, cap: int) -> dict[str, tuple[str, list]]:
    """Hand-written SQL for page 1 of `q`: rows (id, full_name, dob, sex, position, status,
    unit name, found) in name order."""
    from lib.text import digits, tokens
    from org.selectors.search import MAX_TOKENS, _rare_token, member_prefix_filter

    toks = tokens(q)[:MAX_TOKENS]
    tsq = " & ".join(f"{t}:*" for t in toks)
    number = digits(q)
    if number and len(number) >= 4:
        return {}
    join = "JOIN org_unit su ON su.id = m.unit_id AND " + scope_sql if scope_sql else ""
    match = f"SELECT m.* FROM org_member m {join} WHERE m.search_vector @@ to_tsquery('simple', %s)"
    match_params = [*scope_params, tsq]
    prefix = " ".join(tokens(q))
    typed = (
        f"SELECT m.* FROM org_member m {join} WHERE m.name_folded >= %s AND m.name_folded < %s "
        f"AND m.name_folded LIKE %s ORDER BY m.name_folded LIMIT {cap + 1}"
    )
    typed_params = [*scope_params, prefix, prefix + "~", prefix.replace("%", "") + "%"]
    assert member_prefix_filter is not None  # the app's first branch is the same condition
    outer = (
        "SELECT b.id, b.full_name, b.date_of_birth, b.sex, b.position, b.status, u.name, b.found "
        "FROM page b JOIN org_unit u ON u.id = b.unit_id ORDER BY b.name_folded, b.id"
    )
    page = f"SELECT *, count(*) OVER () AS found FROM bounded ORDER BY name_folded, id LIMIT {PER_PAGE}"
    same_shape = (
        f"WITH first AS MATERIALIZED ({typed}), candidate AS MATERIALIZED ({match}), "
        f"bounded AS (SELECT * FROM first UNION ALL SELECT * FROM candidate WHERE id NOT IN "
        f"(SELECT id FROM first) LIMIT {cap + 1}), page AS ({page}) {outer}"
    )
    gin_only = (
        f"WITH candidate AS MATERIALIZED ({match}), bounded AS (SELECT * FROM candidate LIMIT {cap + 1}), "
        f"page AS ({page}) {outer}"
    )
    sort_all = (
        f"WITH page AS (SELECT m.*, count(*) OVER () AS found FROM ({match}) m "
        f"ORDER BY m.name_folded, m.id LIMIT {PER_PAGE}) {outer}"
    )
    floors = {}
    rare = _rare_token("org_member", "search_vector", toks)
    if rare is not None:  # the rarest word's rows through the GIN index, then the rest of the query
        rare_match = (
            f"SELECT m.* FROM org_member m {join} WHERE m.id = ANY(ARRAY(SELECT id FROM org_member "
            f"WHERE search_vector @@ to_tsquery('simple', %s))) AND m.search_vector @@ to_tsquery('simple', %s)"
        )
        rare_params = [*scope_params, f"{rare}:*", tsq]
        floors["rare-first"] = (
            f"WITH candidate AS MATERIALIZED ({rare_match}), bounded AS (SELECT * FROM candidate "
            f"LIMIT {cap + 1}), page AS ({page}) {outer}",
            rare_params,
        )
        floors["rare-sort"] = (
            f"WITH page AS (SELECT m.*, count(*) OVER () AS found FROM ({rare_match}) m "
            f"ORDER BY m.name_folded, m.id LIMIT {PER_PAGE}) {outer}",
            rare_params,
        )
    return floors | {
        "same-shape": (same_shape, [*typed_params, *match_params]),
        "gin-only": (gin_only, match_params),
        "sort-all": (sort_all, match_params),
    }


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="run only cases whose query contains this")
    args = parser.parse_args()
    setup()
    from django.db import OperationalError, connection, transaction
    from django.test import RequestFactory

    from accounts.models import Role, User
    from org import tree
    from org.models import Member, Unit
    from org.selectors.members import member_page
    from org.selectors.search import SEARCH_CAP, bounded_sql, member_prefix_filter, member_search
    from org.views.members import member_list

    if connection.vendor != "postgresql":
        sys.exit("search_bench.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    with connection.cursor() as c:
        c.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'org_member'")
        total = c.fetchone()[0]
        c.execute("SHOW jit")
        jit = c.fetchone()[0]
    print(f"database: {describe_db()}; ~{total:,} members; cap {SEARCH_CAP}; {args.rounds} rounds; jit={jit}")

    last = Member.objects.select_related("unit").order_by("-id").first()
    province = Unit.objects.get(**{tree.key_field(): tree.ancestor_paths(last.unit, include_self=True)[1]})
    cases = [c for c in CASES if args.only in c[1]]
    factory = RequestFactory()

    with transaction.atomic():
        superuser = User(username="bench-search-super", is_superuser=True, is_staff=True, is_active=True)
        officer = User.objects.create(username="bench-search-officer", full_name="Bench officer")
        Role.objects.create(user=officer, unit=province, kind=Role.Kind.OFFICER)
        users = [("national superuser", superuser, "", []), (f"officer of {province.name}", officer)]
        scope_sql, scope_params = tree.subtree_sql("su", province)
        users[1] = (*users[1], scope_sql, scope_params)

        def app(user, q):
            return member_page(user=user, q=q)

        def view(user, q):
            request = factory.get("/org/members/", {"q": q})
            request.user = user
            response = member_list(request)
            assert response.status_code == 200, response.status_code
            return response

        def floor(sql, params):
            with connection.cursor() as c:
                # The app runs with these off too (search.bounded_page).
                c.execute(
                    "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL synchronize_seqscans = off"
                )
                c.execute(sql, params)
                return c.fetchall()

        results = []
        for who, user, s_sql, s_params in users:
            print(f"\n== {who}")
            print(
                f"{'case':<30} {'query':<20} {'found':>6}  {'app min/med':>15}  {'page min/med':>15}  "
                f"{'floor min/med':>15} {'floor':<10} {'ratio':>5}  others"
            )
            for label, q in cases:
                page = app(user, q)  # warm both sides: they then read the same cached pages
                view(user, q)
                want_ids = [m.pk for m in page]
                want_found = page.found + (1 if page.capped else 0)
                floors = floor_sqls(q, s_sql, s_params, SEARCH_CAP)
                same, differs = {}, []
                for name, (sql, params) in floors.items():
                    if name == "sort-all" and page.capped:  # sorts millions; cannot give the capped answer
                        continue
                    try:  # a floor slower than 5 s is not the best: stopped, not repeated
                        with transaction.atomic():
                            with connection.cursor() as c:
                                c.execute("SET LOCAL statement_timeout = '5s'")
                            took, rows = timed(lambda s=sql, p=params: floor(s, p))
                            with connection.cursor() as c:
                                c.execute("SET LOCAL statement_timeout = 0")
                    except OperationalError:
                        differs.append(f"{name} > 5 s")
                        continue
                    ids = [r[0] for r in rows]
                    found = min(rows[0][-1], SEARCH_CAP + 1) if rows else 0
                    if ids == want_ids and found == want_found:
                        same[name] = (sql, params)
                    else:
                        differs.append(name)
                times = {"app": [], "page": [], **{n: [] for n in same}}
                for r in range(args.rounds):
                    order = ["app", "page", *same]
                    order = order[r % len(order) :] + order[: r % len(order)]  # rotate who goes first
                    for side in order:
                        if side == "app":
                            times[side].append(timed(lambda u=user, q=q: list(app(u, q)))[0])
                        elif side == "page":
                            times[side].append(timed(lambda u=user, q=q: view(u, q))[0])
                        else:
                            times[side].append(timed(lambda s=same[side]: floor(*s))[0])
                med = {k: statistics.median(v) * 1000 for k, v in times.items() if v}
                mins = {k: min(v) * 1000 for k, v in times.items() if v}
                best = min(same, key=lambda n: med[n]) if same else None
                ratio = med["app"] / med[best] if best else float("nan")
                others = ", ".join(
                    [f"{n} {med[n]:.1f}" for n in same if n != best]
                    + [n if " s" in n else f"{n} ≠" for n in differs]
                )
                found_txt = f">{SEARCH_CAP}" if page.capped else str(page.found)
                floor_txt = f"{mins[best]:7.1f}/{med[best]:7.1f}" if best else "—"
                print(
                    f"{label:<30} {q:<20} {found_txt:>6}  {mins['app']:7.1f}/{med['app']:7.1f}  "
                    f"{mins['page']:7.1f}/{med['page']:7.1f}  {floor_txt:>15} {best or '—':<10} "
                    f"{ratio:5.2f}  {others}"
                )
                results.append((who, label, q, med["app"], med["page"], med.get(best), ratio))

        print("\n== EXPLAIN ANALYZE of the app's query for the rare surname 'khổng'")
        for who, user, *_ in users:
            from org.selectors.members import _members

            members = _members(user=user, unit=None, status="", sex="")
            sql, params = bounded_sql(
                member_search(members, "khổng"),
                order_by=("name_folded", "id"),
                limit=PER_PAGE,
                offset=0,
                cap=SEARCH_CAP,
                first=member_prefix_filter(members, "khổng"),
            )
            with connection.cursor() as c:
                c.execute(
                    "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL synchronize_seqscans = off"
                )
                c.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
                plan = [row[0] for row in c.fetchall()]
            print(f"-- {who}")
            for line in plan:
                print("   ", line)
            print(
                f"   GIN index org_member_search used: {'yes' if any('org_member_search' in x for x in plan) else 'NO'}"
            )
            print(
                f"   sequential scan of org_member: {'YES' if any('Seq Scan on org_member' in x for x in plan) else 'no'}"
            )

        worst_ratio = max((r[6] for r in results if r[6] == r[6]), default=float("nan"))
        worst_page = max(results, key=lambda r: r[4])
        over = [r for r in results if r[4] >= 300]
        print(f"\nworst ratio app/floor (medians): {worst_ratio:.2f}x (goal <= 1.5)")
        print(f"slowest page: {worst_page[4]:.1f} ms ({worst_page[0]}, {worst_page[2]!r}) (goal < 300 ms)")
        print(
            f"pages at or over 300 ms: {len(over)}: "
            + ", ".join(f"{r[2]!r} ({r[0]}) {r[4]:.0f} ms" for r in over)
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
