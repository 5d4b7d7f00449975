"""Accent-insensitive member search at scale: the app's path vs the same raw SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/search_bench.py

App: `list(member_search(Member.objects.all(), q)[:50])`, model instances and all. Raw: the
query the search is meant to be (PostgreSQL: to_tsvector('simple', name_folded) @@ to_tsquery;
SQLite: LIKE on name_folded), fetched as tuples. Best of --repeat runs, in ms. On PostgreSQL
the plan of the app's query is printed to show the GIN index is used.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, describe_db, setup  # noqa: E402

QUERIES = [
    ("common full name, no accents", "nguyen thi thu ha"),
    ("same name typed with accents", "NGUYỄN THỊ THU HÀ"),
    ("two common tokens", "tran van"),
    ("given name only", "hương"),
    ("rare name (5 members)", "khong thi diep"),
]
LIMIT = 50


def raw_query(q: str, columns: list[str]) -> tuple[str, list]:
    """The hand-written SQL for the same search."""
    from django.db import connection

    from lib.text import tokens

    cols = ", ".join(f'"{c}"' for c in columns)
    toks = tokens(q)
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{t}:*" for t in toks)
        return (
            f"SELECT {cols} FROM org_member WHERE to_tsvector('simple', name_folded) @@ "
            f"to_tsquery('simple', %s) LIMIT {LIMIT}",
            [tsquery],
        )
    where = " AND ".join("(name_folded LIKE %s OR name_folded LIKE %s)" for _ in toks)
    params = [p for t in toks for p in (f"{t}%", f"% {t}%")]
    return f"SELECT {cols} FROM org_member WHERE {where} LIMIT {LIMIT}", params


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from org.models import Member
    from org.selectors.search import member_search

    total = Member.objects.count()
    print(f"database: {describe_db()}; {total:,} members")
    columns = [f.column for f in Member._meta.concrete_fields]

    def app(q: str):
        return list(member_search(Member.objects.all(), q)[:LIMIT])

    def raw(q: str):
        sql, params = raw_query(q, columns)
        with connection.cursor() as c:
            c.execute(sql, params)
            return c.fetchall()

    print(f"{'query':<32} {'found':>5} {'app ms':>9} {'raw ms':>9} {'ratio':>6}")
    worst = 0.0
    for label, q in QUERIES:
        app(q)  # warm the cache: both sides then read the same pages
        app_s, found = best_of(lambda q=q: app(q), repeat=args.repeat)
        raw_s, rows = best_of(lambda q=q: raw(q), repeat=args.repeat)
        if len(found) != len(rows):
            print(f"MISMATCH for {q!r}: app {len(found)} rows, raw {len(rows)}", file=sys.stderr)
            sys.exit(1)
        ratio = app_s / raw_s
        worst = max(worst, ratio)
        print(f"{label:<32} {len(found):>5} {app_s * 1000:>9.2f} {raw_s * 1000:>9.2f} {ratio:>5.2f}x")

    q = QUERIES[0][1]
    count_app_s, n_app = best_of(lambda: member_search(Member.objects.all(), q).count(), repeat=args.repeat)
    print(f"count of every match of {q!r}: {n_app:,} in {count_app_s * 1000:.1f} ms")
    print(f"worst ratio app / raw: {worst:.2f}x")

    if connection.vendor == "postgresql":
        sql, params = member_search(Member.objects.all(), q)[:LIMIT].query.sql_with_params()
        with connection.cursor() as c:
            c.execute("EXPLAIN " + sql, params)
            plan = [row[0] for row in c.fetchall()]
        print("plan of the app's query:")
        for line in plan:
            print("   ", line)
        uses_gin = any("org_member_name_fts" in line for line in plan)
        print(f"GIN index org_member_name_fts used: {'yes' if uses_gin else 'NO'}")


if __name__ == "__main__":
    main()
