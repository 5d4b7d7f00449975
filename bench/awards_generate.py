"""Add ten years (2016–2025) of a synthetic national awards register to a bench database (a
script, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/awards_generate.py

Needs the tree and members made by bench/generate.py (never touches them). It first runs
`migrate` (the awards tables are new there), then streams the members (a second connection,
in id order) and draws, per member and year, with one seeded generator:

- Chiến sĩ thi đua cơ sở (~1.2 %/yr) as a two-state chain: a holder keeps it the next year with
  probability P_KEEP, so many hold it several years in a row (what "3 years in a row" needs);
- Lao động tiên tiến (~8 %/yr): every CSTĐ cơ sở holder (the title requires it) plus others;
- initiatives (~0.5 %/yr of members, most of them CSTĐ cơ sở holders), scope grassroots >
  upper > province > national in decreasing shares;
- Chiến sĩ thi đua cấp tỉnh (a few thousand a year): 70 % of those whose last three years are
  CSTĐ cơ sở with an initiative of province scope or wider;
- a few service periods (Kỷ niệm chương), and a handful of revoked lines;
then collective titles for the grassroots unions (Công đoàn cơ sở vững mạnh, of which some
"xuất sắc") and a leading unit per upper-level union (Cờ thi đua của LĐLĐ tỉnh).

Rows go in with COPY; the register's secondary indexes and constraints are dropped during the
COPY and rebuilt after, then VACUUM ANALYZE (statistics, and the visibility map that lets
the planner answer from an index alone). Names (and name_folded) are copied from the members.
Verification codes are a bijection of the row id onto the 10-character code space (unique by
construction; bench data only: production codes are random, awards.models.new_verify_code).
Refuses to run twice unless --reset, which deletes the register lines not made by a decision,
and every initiative and service period (a bench database only).
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import describe_db, setup  # noqa: E402

YEARS = range(2016, 2026)
CSTD_SHARE = 0.012  # stationary share of CSTĐ cơ sở holders
P_KEEP = 0.60  # a holder keeps the title the next year
P_NEW = CSTD_SHARE * (1 - P_KEEP) / (1 - CSTD_SHARE)  # keeps the share stationary
LDTT_SHARE = 0.08
LDTT_OTHERS = (LDTT_SHARE - CSTD_SHARE) / (1 - CSTD_SHARE)  # LĐTT among non-holders
INITIATIVE_HOLDER = 0.30  # a CSTĐ cơ sở holder records an initiative that year
INITIATIVE_OTHER = 0.0014  # anyone else: total ≈ 0.5 %/yr of members
SCOPES = [(3, 0.70), (2, 0.18), (1, 0.10), (0, 0.02)]  # grassroots, upper, province, national
PROVINCE_AWARDED = 0.7  # of those who qualify for CSTĐ cấp tỉnh in a year
SERVICE_SHARE = 0.02
REVOKED = 0.0005
VUNG_MANH = 0.55  # grassroots unions graded "vững mạnh" in a year
XUAT_SAC = 0.18  # of those, "vững mạnh xuất sắc" (quota: at most 20 %)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # awards.models.CODE_ALPHABET
CODE_SPACE = 31**10
CODE_MULT = 7_919_370_371_463  # not a multiple of 31: x -> (x * MULT + ADD) mod 31^10 is a bijection
CODE_ADD = 123_456_789_012_345
_T3 = [a + b + c for a in CODE_ALPHABET for b in CODE_ALPHABET for c in CODE_ALPHABET]

RECORD_COLUMNS = (  # the generated rows' columns, in order
    "id award_id year theme recipient_kind member_id unit_id name name_folded "
    "unit_name position_title sex sector province_id issuer_id issuer_name "
    "issuer_level decision_id line_id decision_number decided_on status "
    "revoked_by_id source verify_code created_by_id created_at"
).split()
INITIATIVE_COLUMNS = (  # the generated rows' columns, in order
    "id member_id unit_id title year scope_level recognised_by decision_number value created_by_id created_at"
).split()
SERVICE_COLUMNS = (  # the generated rows' columns, in order
    "id member_id kind start end position start_month end_month created_at"
).split()
TITLES = [
    "Cải tiến quy trình {n}",
    "Giải pháp tiết kiệm điện năng số {n}",
    "Sáng kiến nâng cao năng suất dây chuyền {n}",
    "Đổi mới phương pháp giảng dạy {n}",
    "Ứng dụng công nghệ thông tin trong quản lý {n}",
]
SCOPE_BY = {
    3: "Hội đồng sáng kiến cơ sở",
    2: "Công đoàn cấp trên",
    1: "Hội đồng sáng kiến tỉnh",
    0: "Bộ, ngành",
}


def verify_code(row_id: int) -> str:
    """A 10-character code, distinct for distinct ids (an affine bijection of Z/31^10)."""
    x = (row_id * CODE_MULT + CODE_ADD) % CODE_SPACE
    x, a = divmod(x, 29_791)
    x, b = divmod(x, 29_791)
    x, c = divmod(x, 29_791)
    return CODE_ALPHABET[x] + _T3[c] + _T3[b] + _T3[a]


def load_units() -> dict[int, tuple]:
    """Grassroots units: id -> (name, folded, sector, province id, province name, upper id,
    upper name). Members hang from grassroots units in generate.py's tree."""
    from org.models import Unit

    by_path = {}
    grassroots = []
    for uid, path, name, folded, kind, sector in Unit.objects.values_list(
        "id", "path", "name", "name_folded", "kind", "sector"
    ).iterator(chunk_size=20_000):
        by_path[path] = (uid, name)
        if kind == "grassroots":
            grassroots.append((uid, path, name, folded, sector))
    out = {}
    for uid, path, name, folded, sector in grassroots:
        province = by_path.get(path[:8], (None, ""))
        upper = by_path.get(path[:-4], (None, ""))
        out[uid] = (name, folded, sector, province[0], province[1], upper[0], upper[1])
    return out


def award_ids() -> dict[str, int]:
    from awards.models import Award

    codes = [
        "lao-dong-tien-tien",
        "cstd-co-so",
        "cstd-cap-tinh",
        "cdcs-vung-manh",
        "cdcs-vung-manh-xuat-sac",
        "co-thi-dua-ldld-tinh",
    ]
    ids = dict(Award.objects.filter(code__in=codes).values_list("code", "id"))
    missing = set(codes) - set(ids)
    if missing:
        sys.exit(f"The default catalogue lacks {sorted(missing)}: has migration awards 0002 run?")
    return ids


def next_id(table: str) -> int:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
        return c.fetchone()[0]


def scope_of(x: float) -> int:
    for level, share in SCOPES:
        if x < share:
            return level
        x -= share
    return 3


class Generator:
    """Draws the register member by member; yields award rows, keeps initiative and service
    rows (far fewer) in lists for their own COPY afterwards."""

    def __init__(self, units: dict[int, tuple], ids: dict[str, int], now: str) -> None:
        self.units = units
        self.ids = ids
        self.now = now
        self.rng = random.Random(2016)
        self.record_id = next_id("awards_awardrecord")
        self.initiative_id = next_id("awards_initiative")
        self.service_id = next_id("awards_serviceperiod")
        self.initiatives: list[tuple] = []
        self.services: list[tuple] = []
        self.counts: dict[str, int] = {}

    def _record(self, code, year, kind, member_id, unit_id, name, folded, sex, issuer, number, decided_on):
        """One register line (RECORD_COLUMNS order)."""
        unit = self.units[unit_id]
        issuer_id, issuer_name, issuer_level, source = issuer
        rid = self.record_id
        self.record_id += 1
        self.counts[code] = self.counts.get(code, 0) + 1
        status = "revoked" if self.rng.random() < REVOKED else "valid"
        return (
            rid,
            self.ids[code],
            year,
            "",
            kind,
            member_id,
            unit_id,
            name,
            folded,
            unit[0],
            "",
            sex,
            unit[2],
            unit[3],
            issuer_id,
            issuer_name,
            issuer_level,
            None,
            None,
            number,
            decided_on,
            status,
            None,
            source,
            verify_code(rid),
            None,
            self.now,
        )

    def member_records(self, members):
        """Award rows of every member, streamed."""
        r = self.rng.random
        decided = {y: (datetime.date(y, 12, 20), datetime.date(y + 1, 1, 25)) for y in YEARS}
        for member_id, unit_id, name, folded, sex in members:
            unit = self.units.get(unit_id)
            if unit is None:
                continue
            employer = (None, unit[0].removeprefix("Công đoàn "), None, "outside")
            province = (unit[3], unit[4], 1, "import")
            person = ("person", member_id, unit_id, name, folded, sex)  # who every line is about
            held = r() < CSTD_SHARE  # the year before the register starts
            streak = 0
            wide_initiatives: list[int] = []  # years of initiatives of province scope or wider
            for year in YEARS:
                x = r()
                cstd = x < (P_KEEP if held else P_NEW)
                held = cstd
                streak = streak + 1 if cstd else 0
                end_of_year, next_january = decided[year]
                local_number = f"{(unit_id * 7 + year) % 300 + 1}/QĐ"
                if cstd or r() < LDTT_OTHERS:
                    yield self._record(
                        "lao-dong-tien-tien", year, *person, employer, local_number, end_of_year
                    )
                if cstd:
                    yield self._record("cstd-co-so", year, *person, employer, local_number, end_of_year)
                if r() < (INITIATIVE_HOLDER if cstd else INITIATIVE_OTHER):
                    level = scope_of(r())
                    if level <= 1:
                        wide_initiatives.append(year)
                    self._initiative(member_id, unit_id, year, level)
                if (
                    streak >= 3
                    and any(year - 2 <= y <= year for y in wide_initiatives)
                    and r() < PROVINCE_AWARDED
                ):
                    yield self._record(
                        "cstd-cap-tinh",
                        year,
                        *person,
                        province,
                        f"{(unit[3] or 0) % 900 + year % 100}/QĐ-LĐLĐ",
                        next_january,
                    )
            if r() < SERVICE_SHARE:
                self._service(member_id)

    def _initiative(self, member_id: int, unit_id: int, year: int, level: int) -> None:
        n = self.initiative_id
        self.initiative_id += 1
        value = None if level == 3 else self.rng.randrange(20, 400) * 1_000_000
        title = TITLES[n % len(TITLES)].format(n=n)
        number = f"{n % 500 + 1}/QĐ-SK"
        self.initiatives.append(
            (n, member_id, unit_id, title, year, level, SCOPE_BY[level], number, value, None, self.now)
        )

    def _service(self, member_id: int) -> None:
        r = self.rng
        start = datetime.date(r.randint(1995, 2015), r.randint(1, 12), 1)
        end = (
            None if r.random() < 0.6 else datetime.date(r.randint(start.year + 1, 2025), r.randint(1, 12), 28)
        )
        kind = r.choice(["full_time", "part_time", "part_time", "non_state", "other"])
        start_month = start.year * 12 + start.month - 1
        end_month = end.year * 12 + end.month - 1 if end else None
        n = self.service_id
        self.service_id += 1
        self.services.append(
            (n, member_id, kind, start, end, "Ủy viên Ban Chấp hành", start_month, end_month, self.now)
        )

    def unit_records(self):
        """Collective titles of the grassroots unions, and a leading unit per upper-level union."""
        r = self.rng.random
        by_upper: dict[int, list[int]] = {}
        for unit_id, unit in self.units.items():
            by_upper.setdefault(unit[5], []).append(unit_id)
        for year in YEARS:
            decided = datetime.date(year + 1, 1, 15)
            for unit_id, unit in self.units.items():
                name, folded, upper_id, upper_name = unit[0], unit[1], unit[5], unit[6]
                if r() >= VUNG_MANH:
                    continue
                code = "cdcs-vung-manh-xuat-sac" if r() < XUAT_SAC else "cdcs-vung-manh"
                yield self._record(
                    code,
                    year,
                    "grassroots",
                    None,
                    unit_id,
                    name,
                    folded,
                    "",
                    (upper_id, upper_name, 2, "import"),
                    f"{upper_id % 200 + 1}/QĐ-CĐ",
                    decided,
                )
            for unit_ids in by_upper.values():
                unit_id = unit_ids[int(r() * len(unit_ids))]
                name, folded, _sector, prov_id, prov_name, *_ = self.units[unit_id]
                yield self._record(
                    "co-thi-dua-ldld-tinh",
                    year,
                    "collective",
                    None,
                    unit_id,
                    name,
                    folded,
                    "",
                    (prov_id, prov_name, 1, "import"),
                    f"{prov_id % 300 + 1}/QĐ-LĐLĐ",
                    decided,
                )


def stream_members(url: str, chunk: int = 50_000):
    """(id, unit_id, full name, folded name, sex) of every member in id order, on a second
    connection (the first one is busy with the COPY)."""
    import psycopg

    with psycopg.connect(url) as conn, conn.cursor(name="bench_members") as cur:
        cur.itersize = chunk
        cur.execute("SELECT id, unit_id, full_name, name_folded, sex FROM org_member ORDER BY id")
        yield from cur


def fixed_columns(model, columns: list[str]) -> tuple[list[str], tuple]:
    """Columns of `model` the generator does not fill (fields added since it was written), with
    the value each row gets: the field's default, or NULL. Exits if one has neither."""
    names = {f.column for f in model._meta.concrete_fields}
    missing = [c for c in columns if c not in names]
    if missing:
        sys.exit(f"{model._meta.db_table} has no column(s) {missing}: update bench/awards_generate.py")
    extra, values = [], []
    for f in model._meta.concrete_fields:
        if f.column in columns:
            continue
        if f.has_default() and not callable(f.default):
            value = f.default
        elif f.null:
            value = None
        elif f.blank and f.get_internal_type() in ("CharField", "TextField"):
            value = ""
        else:
            sys.exit(f"{model._meta.db_table}.{f.column} needs a value: update bench/awards_generate.py")
        extra.append(f.column)
        values.append(value)
    return extra, tuple(values)


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY generated rows (in `columns` order) into the model's table, with every other column
    set by fixed_columns()."""
    from django.db import connection

    extra, values = fixed_columns(model, columns)
    names = ", ".join(f'"{c}"' for c in columns + extra)
    n = 0
    with (
        connection.cursor() as c,
        c.cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy,
    ):
        if values:
            for row in rows:
                copy.write_row(row + values)
                n += 1
        else:
            for row in rows:
                copy.write_row(row)
                n += 1
    return n


def indexes_drop(table: str) -> list[str]:
    """Drop a table's secondary indexes and its unique/foreign-key constraints (not the primary
    key); return the SQL that puts them back."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
            [table],
        )
        constraints = c.fetchall()
        c.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = c.fetchall()
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in constraints:
            c.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            c.execute(f'DROP INDEX "{name}"')
    return [d for _, d in indexes] + [f'ALTER TABLE {table} ADD CONSTRAINT "{n}" {d}' for n, d in constraints]


def reset() -> None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("DELETE FROM awards_awardrecord WHERE decision_id IS NULL AND line_id IS NULL")
        c.execute("DELETE FROM awards_initiative")
        c.execute("DELETE FROM awards_serviceperiod")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="delete the bench register first")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("PostgreSQL only: set DATABASE_URL=postgres://…/thidua_bench")
    t = time.perf_counter()
    setup(migrate=True)
    print(f"database: {describe_db()}; migrate in {time.perf_counter() - t:.1f} s")
    from django.db import connection, transaction

    from awards.models import AwardRecord, Initiative, ServicePeriod
    from org.models import Member

    for model, columns in (
        (AwardRecord, RECORD_COLUMNS),
        (Initiative, INITIATIVE_COLUMNS),
        (ServicePeriod, SERVICE_COLUMNS),
    ):
        fixed_columns(model, columns)  # exits before any work when the models moved on
    if not Member.objects.exists():
        sys.exit("No members: run bench/generate.py first.")
    if AwardRecord.objects.filter(decision__isnull=True).exists() or Initiative.objects.exists():
        if not args.reset:
            sys.exit("The register already has bench rows: pass --reset to replace them.")
        t = time.perf_counter()
        with transaction.atomic():
            reset()
        print(f"reset: {time.perf_counter() - t:.1f} s")

    started = time.perf_counter()
    units = load_units()
    gen = Generator(units, award_ids(), "2026-01-01 00:00:00+00")
    print(f"{len(units):,} grassroots units read in {time.perf_counter() - started:.1f} s")
    # Dropping a foreign key locks the table it points at (org_member): done and committed before
    # the second connection starts reading the members; put back whatever happens.
    with transaction.atomic():
        restore = indexes_drop("awards_awardrecord")
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("SET LOCAL synchronous_commit = off")
            t = time.perf_counter()
            members = stream_members(url)
            n_members = copy_rows(AwardRecord, RECORD_COLUMNS, gen.member_records(members))
            secs = time.perf_counter() - t
            print(f"person records: {n_members:,} in {secs:.1f} s = {n_members / secs:,.0f} rows/s")
            t = time.perf_counter()
            n_units = copy_rows(AwardRecord, RECORD_COLUMNS, gen.unit_records())
            secs = time.perf_counter() - t
            print(f"collective records: {n_units:,} in {secs:.1f} s = {n_units / secs:,.0f} rows/s")
            t = time.perf_counter()
            n_init = copy_rows(Initiative, INITIATIVE_COLUMNS, gen.initiatives)
            n_serv = copy_rows(ServicePeriod, SERVICE_COLUMNS, gen.services)
            secs = time.perf_counter() - t
            print(f"initiatives: {n_init:,}, service periods: {n_serv:,} in {secs:.1f} s")
    finally:
        t = time.perf_counter()
        with transaction.atomic(), connection.cursor() as c:
            c.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for sql in restore:
                c.execute(sql)
            for table in ("awards_awardrecord", "awards_initiative", "awards_serviceperiod"):
                c.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
        print(f"register indexes and constraints rebuilt ({len(restore)}) in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    with connection.cursor() as c:
        for table in ("awards_awardrecord", "awards_initiative", "awards_serviceperiod"):
            c.execute(f"VACUUM ANALYZE {table}")
    print(f"VACUUM ANALYZE in {time.perf_counter() - t:.1f} s")
    total = time.perf_counter() - started
    rows = n_members + n_units + n_init + n_serv
    print("records by award: " + ", ".join(f"{code} {n:,}" for code, n in sorted(gen.counts.items())))
    print(
        f"total: {n_members + n_units:,} award records, {n_init:,} initiatives, {n_serv:,} service periods "
        f"in {total:.1f} s ({rows / total:,.0f} rows/s overall)"
    )


if __name__ == "__main__":
    main()
