"""Exit 0 when DATABASE_URL already holds the national bench set, 1 otherwise (cheap: catalogue
estimates and one count of units; used by `make bench-national` to skip the generation).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/national_ready.py

Ready means: 130,764 units, >= 10.5 M members and >= 10 M award register lines (estimates from
pg_class.reltuples, kept by ANALYZE), and the indexes the generators rebuild last.
"""

import os
import sys

import psycopg

UNITS = 130_764
MEMBERS = 10_500_000
RECORDS = 10_000_000


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench-national needs a PostgreSQL DATABASE_URL")
        return 1
    try:
        conn = psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=5)
    except psycopg.OperationalError as exc:
        print(f"no national set: {str(exc).strip().splitlines()[0]}")
        return 1
    with conn:
        estimate = dict(
            conn.execute(
                "SELECT relname, reltuples::bigint FROM pg_class "
                "WHERE relname IN ('org_member', 'awards_awardrecord') AND relkind = 'r'"
            ).fetchall()
        )
        units = members = records = 0
        if "org_member" in estimate:
            units = conn.execute("SELECT count(*) FROM org_unit").fetchone()[0]
            members = estimate["org_member"]
        records = estimate.get("awards_awardrecord", 0)
        # The generators rebuild their indexes last: a set still being built lacks them.
        indexes = conn.execute(
            "SELECT count(*) FROM pg_indexes WHERE indexname IN ('org_member_unit_status', 'awards_rec_valid_award_year')"
        ).fetchone()[0]
    ready = units == UNITS and members >= MEMBERS and records >= RECORDS and indexes == 2
    print(
        f"national set {'present' if ready else 'absent'}: {units:,} units, ~{members:,} members, "
        f"~{records:,} award lines"
    )
    return 0 if ready else 1


if __name__ == "__main__":
    sys.exit(main())
