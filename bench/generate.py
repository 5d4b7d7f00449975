"""Build a synthetic national data set for the benchmarks (a script, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench \\
        .venv/bin/python bench/generate.py --members 2000000 --reset

The confederation, 63 provincial federations (named after the provinces whose CCCD codes are in
org.validators), ~700 upper-level unions, 130,000 grassroots unions and N members (default
11,000,000). Treebeard paths are computed here rather than with add_child (one query per
unit would take hours); rows go in with COPY on PostgreSQL and executemany on SQLite, members
streamed in chunks so memory stays flat. Member counts on units are then set with one
UPDATE ... FROM (GROUP BY unit_id), as org.services.counts maintains them.
"""

import argparse
import datetime
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import describe_db, ensure_database, setup  # noqa: E402

PROVINCES = [  # (CCCD code, name) of the 63 pre-2025 provinces
    ("001", "Hà Nội"),
    ("002", "Hà Giang"),
    ("004", "Cao Bằng"),
    ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"),
    ("010", "Lào Cai"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Yên Bái"),
    ("017", "Hòa Bình"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"),
    ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"),
    ("027", "Bắc Ninh"),
    ("030", "Hải Dương"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("034", "Thái Bình"),
    ("035", "Hà Nam"),
    ("036", "Nam Định"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"),
    ("045", "Quảng Trị"),
    ("046", "Thừa Thiên Huế"),
    ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"),
    ("052", "Bình Định"),
    ("054", "Phú Yên"),
    ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"),
    ("060", "Bình Thuận"),
    ("062", "Kon Tum"),
    ("064", "Gia Lai"),
    ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"),
    ("068", "Lâm Đồng"),
    ("070", "Bình Phước"),
    ("072", "Tây Ninh"),
    ("074", "Bình Dương"),
    ("075", "Đồng Nai"),
    ("077", "Bà Rịa – Vũng Tàu"),
    ("079", "Hồ Chí Minh"),
    ("080", "Long An"),
    ("082", "Tiền Giang"),
    ("083", "Bến Tre"),
    ("084", "Trà Vinh"),
    ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"),
    ("089", "An Giang"),
    ("091", "Kiên Giang"),
    ("092", "Cần Thơ"),
    ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"),
    ("095", "Bạc Liêu"),
    ("096", "Cà Mau"),
]
UPPER_KINDS = [  # the first upper-level unions of every province; the rest are district federations
    ("civil_servants", "Công đoàn Viên chức tỉnh {p}"),
    ("sector", "Công đoàn ngành Giáo dục tỉnh {p}"),
    ("sector", "Công đoàn ngành Y tế tỉnh {p}"),
    ("zone", "Công đoàn các Khu công nghiệp tỉnh {p}"),
]
GRASSROOTS = [
    ("public_service", "Công đoàn Trường Mầm non số {n}"),
    ("public_service", "Công đoàn Trường Tiểu học số {n}"),
    ("public_service", "Công đoàn Trường THCS số {n}"),
    ("public_service", "Công đoàn Trạm Y tế xã số {n}"),
    ("state", "Công đoàn cơ sở xã số {n}"),
    ("non_state", "Công đoàn Công ty TNHH Sản xuất số {n}"),
    ("non_state", "Công đoàn Công ty Cổ phần Thương mại số {n}"),
]
RARE_NAME = "Khổng Thị Diệp"  # injected a handful of times: the search benchmark's rare query
RARE_COUNT = 5
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
UNIT_COLUMNS = [
    "id",
    "path",
    "depth",
    "numchild",
    "code",
    "name",
    "short_name",
    "name_folded",
    "kind",
    "sector",
    "address",
    "status",
    "established_on",
    "ended_on",
    "successor_id",
    "member_count",
    "female_count",
    "created_at",
    "updated_at",
]
MEMBER_COLUMNS = [
    "id",
    "unit_id",
    "full_name",
    "name_folded",
    "date_of_birth",
    "sex",
    "cccd",
    "phone",
    "position",
    "ethnicity",
    "joined_on",
    "card_number",
    "status",
    "status_changed_on",
    "created_at",
    "updated_at",
]
CHUNK = 50_000


def step(n: int) -> str:
    """Treebeard's path step for the n-th child (1-based): base 36, zero-padded to STEPLEN."""
    digits = ""
    while n:
        n, r = divmod(n, 36)
        digits = ALPHABET[r] + digits
    return digits.rjust(STEPLEN, "0")


def spread(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal integers."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def build_units(args, now: str) -> tuple[list[tuple], list[tuple[int, str, int]]]:
    """Unit rows (UNIT_COLUMNS order) and the grassroots units as (id, province code, weight)."""
    from lib.text import fold

    rng = random.Random(11)
    rows: list[tuple] = []
    grassroots: list[tuple[int, str, int]] = []
    founded = "1990-01-01"

    def add(path: str, numchild: int, code: str, name: str, kind: str, sector: str, address: str) -> int:
        uid = len(rows) + 1
        rows.append(
            (
                uid,
                path,
                len(path) // STEPLEN,
                numchild,
                code,
                name,
                "",
                fold(name),
                kind,
                sector,
                address,
                "active",
                founded,
                None,
                None,
                0,
                0,
                now,
                now,
            )
        )
        return uid

    provinces = PROVINCES[: args.provinces]
    uppers = spread(args.upper, len(provinces))
    add(
        step(1), len(provinces), "TLD", "Tổng Liên đoàn Lao động Việt Nam", "confederation", "state", "Hà Nội"
    )
    grassroots_left = spread(args.grassroots, args.upper)
    u_index = 0
    for p_i, (pcode, pname) in enumerate(provinces, start=1):
        p_path = step(1) + step(p_i)
        add(
            p_path,
            uppers[p_i - 1],
            f"P{pcode}",
            f"Liên đoàn Lao động tỉnh {pname}",
            "province",
            "state",
            pname,
        )
        for u_i in range(1, uppers[p_i - 1] + 1):
            n_grass = grassroots_left[u_index]
            u_index += 1
            u_path = p_path + step(u_i)
            if u_i <= len(UPPER_KINDS):
                kind, template = UPPER_KINDS[u_i - 1]
                uname = template.format(p=pname)
            else:
                kind, uname = "district", f"Liên đoàn Lao động huyện số {u_i - len(UPPER_KINDS)} tỉnh {pname}"
            ucode = f"P{pcode}.U{u_i:03d}"
            add(u_path, n_grass, ucode, uname, kind, "state", pname)
            for g_i in range(1, n_grass + 1):
                sector, template = GRASSROOTS[(g_i - 1) % len(GRASSROOTS)]
                gid = add(
                    u_path + step(g_i),
                    0,
                    f"{ucode}.{g_i:05d}",
                    template.format(n=g_i),
                    "grassroots",
                    sector,
                    f"{uname}, {pname}",
                )
                # Sizes vary from a dozen to a few hundred, like real grassroots unions.
                grassroots.append((gid, pcode, rng.choice((1, 1, 1, 2, 2, 3, 5, 8, 13))))
    return rows, grassroots


def name_pool(size: int) -> list[tuple]:
    """Pre-folded people: (full name, folded, sex, 4th CCCD digit, yy, dob, joined, position)."""
    from demo import people as D
    from lib.text import fold

    rng = random.Random(7)
    families = [f for f, _ in D.FAMILY_NAMES]
    weights = [w for _, w in D.FAMILY_NAMES]
    folded: dict[str, str] = {}
    pool = []
    positions = ["Giáo viên", "Công nhân", "Chuyên viên", "Điều dưỡng", "Kế toán", "Nhân viên", "Kỹ sư"]
    for _ in range(size):
        female = rng.random() < 0.52
        family = rng.choices(families, weights)[0]
        middle = rng.choice(D.MIDDLE_FEMALE if female else D.MIDDLE_MALE)
        given = rng.choice(D.GIVEN_FEMALE if female else D.GIVEN_MALE)
        name = f"{family} {middle} {given}"
        if name not in folded:
            folded[name] = fold(name)
        year = rng.randint(1965, 2005)
        dob = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        joined = datetime.date(min(year + rng.randint(19, 35), 2024), rng.randint(1, 12), rng.randint(1, 28))
        digit = (0 if year < 2000 else 2) + (1 if female else 0)
        pool.append(
            (
                name,
                folded[name],
                "female" if female else "male",
                str(digit),
                f"{year % 100:02d}",
                dob.isoformat(),
                joined.isoformat(),
                rng.choice(positions),
            )
        )
    return pool


def member_rows(total: int, grassroots: list[tuple[int, str, int]], now: str) -> Iterator[tuple]:
    """Member rows in MEMBER_COLUMNS order, unit by unit; CCCDs unique by construction."""
    from lib.text import fold

    pool = name_pool(65_521)
    pool_size = len(pool)
    weights = sum(w for _, _, w in grassroots)
    sizes = [total * w // weights for _, _, w in grassroots]
    for i in range(total - sum(sizes)):
        sizes[i % len(sizes)] += 1
    serial: dict[str, int] = {}  # CCCD prefix (province, sex/century, yy) -> next 6-digit serial
    rare_every = max(total // RARE_COUNT, 1)
    rare = (RARE_NAME, fold(RARE_NAME), "female", "1", "85", "1985-03-08", "2008-05-01", "Giáo viên")
    seed = 12345
    mid = 0
    for (unit_id, pcode, _), size in zip(grassroots, sizes, strict=True):
        for _ in range(size):
            mid += 1
            seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
            person = rare if mid % rare_every == rare_every // 2 else pool[seed % pool_size]
            name, folded, sex, digit, yy, dob, joined, position = person
            prefix = pcode + digit + yy
            n = serial.get(prefix, 0)
            serial[prefix] = n + 1
            status, changed = ("left", joined) if seed % 37 == 0 else ("active", None)
            yield (
                mid,
                unit_id,
                name,
                folded,
                dob,
                sex,
                f"{prefix}{n:06d}",
                f"09{seed % 100_000_000:08d}",
                position,
                "Kinh",
                joined,
                f"{pcode}{mid:09d}",
                status,
                changed,
                now,
                now,
            )


def chunks(rows: Iterator[tuple], size: int = CHUNK) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def insert(table: str, columns: list[str], rows: Iterator[tuple]) -> int:
    """COPY (PostgreSQL) or executemany (SQLite) rows into `table`, in chunks; returns the count."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            for chunk in chunks(rows):
                cursor.cursor.executemany(sql, chunk)
                count += len(chunk)
    return count


def member_indexes_drop() -> list[str]:
    """Drop the member table's secondary indexes and constraints; return the SQL to put them back.

    Building an index once over sorted data is many times faster than updating it per row."""
    from django.db import connection

    restore: list[str] = []
    with connection.cursor() as c:
        c.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'org_member'::regclass AND contype IN ('u', 'f')"
        )
        constraints = c.fetchall()
        c.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'org_member' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'org_member'::regclass)"
        )
        indexes = c.fetchall()
        # Django's foreign keys are deferred: run the pending checks (unit links) before the ALTERs.
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in constraints:
            c.execute(f'ALTER TABLE org_member DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            c.execute(f'DROP INDEX "{name}"')
    restore += [indexdef for _, indexdef in indexes]
    restore += [
        f'ALTER TABLE org_member ADD CONSTRAINT "{name}" {definition}' for name, definition in constraints
    ]
    return restore


def reset() -> None:
    from django.db import connection

    from org.models import Member, MemberMove, Unit, UnitEvent, UnitLink

    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            # CASCADE also empties rows that point at units (users, roles, imports): a benchmark
            # database only.
            c.execute("TRUNCATE org_member, org_unitlink, org_unit, org_membermove, org_unitevent CASCADE")
        else:
            for model in (MemberMove, Member, UnitLink, UnitEvent):
                model.objects.all().delete()
            c.execute("UPDATE org_unit SET successor_id = NULL")
            c.execute("PRAGMA foreign_keys = OFF")
            Unit.objects.all()._raw_delete(Unit.objects.db)
            c.execute("PRAGMA foreign_keys = ON")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=11_000_000)
    parser.add_argument("--provinces", type=int, default=63)
    parser.add_argument("--upper", type=int, default=700)
    parser.add_argument("--grassroots", type=int, default=130_000)
    parser.add_argument("--reset", action="store_true", help="empty the org tables first")
    args = parser.parse_args()
    args.provinces = max(1, min(args.provinces, len(PROVINCES)))
    args.upper = max(args.upper, args.provinces)
    args.grassroots = max(args.grassroots, args.upper)

    ensure_database()
    setup(migrate=True)
    from django.db import connection, transaction

    from org.models import Member, Unit

    assert [f.column for f in Unit._meta.concrete_fields] == UNIT_COLUMNS
    assert [f.column for f in Member._meta.concrete_fields] == MEMBER_COLUMNS
    print(f"database: {describe_db()}")
    pg = connection.vendor == "postgresql"
    if Unit.objects.exists():
        if not args.reset:
            sys.exit("The database already has units: pass --reset to replace them.")
        t = time.perf_counter()
        with transaction.atomic():
            reset()
        print(f"reset: {time.perf_counter() - t:.1f} s")

    now = "2025-01-01 00:00:00+00" if pg else "2025-01-01 00:00:00"
    started = time.perf_counter()
    with transaction.atomic():
        if pg:
            with connection.cursor() as c:
                c.execute("SET LOCAL synchronous_commit = off")
                c.execute("SET LOCAL maintenance_work_mem = '1GB'")
        t = time.perf_counter()
        unit_rows, grassroots = build_units(args, now)
        n_units = insert("org_unit", UNIT_COLUMNS, iter(unit_rows))
        ids = {r[1]: r[0] for r in unit_rows}
        links = ((r[0], ids.get(r[1][:-STEPLEN]), None, None, None) for r in unit_rows)
        insert("org_unitlink", ["unit_id", "parent_id", "valid_from", "valid_to", "event_id"], links)
        del ids, unit_rows
        secs = time.perf_counter() - t
        print(f"units: {n_units:,} (+ {n_units:,} unit links) in {secs:.1f} s = {n_units / secs:,.0f} rows/s")

        restore = member_indexes_drop() if pg else []
        t = time.perf_counter()
        n_members = insert("org_member", MEMBER_COLUMNS, member_rows(args.members, grassroots, now))
        secs = time.perf_counter() - t
        print(f"members: {n_members:,} in {secs:.1f} s = {n_members / max(secs, 1e-9):,.0f} rows/s")
        if restore:
            t = time.perf_counter()
            with connection.cursor() as c:
                for sql in restore:
                    c.execute(sql)
            print(
                f"member indexes and constraints rebuilt ({len(restore)}) in {time.perf_counter() - t:.1f} s"
            )

        t = time.perf_counter()
        with connection.cursor() as c:
            if pg:
                c.execute(
                    "UPDATE org_unit u SET member_count = c.n, female_count = c.f FROM ("
                    " SELECT unit_id, count(*) AS n, count(*) FILTER (WHERE sex = 'female') AS f"
                    " FROM org_member WHERE status = 'active' GROUP BY unit_id) c WHERE u.id = c.unit_id"
                )
                for table in ("org_unit", "org_member", "org_unitlink"):
                    c.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
            else:
                c.execute(
                    "UPDATE org_unit SET member_count = c.n, female_count = c.f FROM ("
                    " SELECT unit_id, count(*) AS n, sum(sex = 'female') AS f"
                    " FROM org_member WHERE status = 'active' GROUP BY unit_id) AS c WHERE org_unit.id = c.unit_id"
                )
        print(f"unit member counts set in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"ANALYZE in {time.perf_counter() - t:.1f} s")
    total = time.perf_counter() - started
    print(
        f"total: {n_units:,} units, {n_members:,} members in {total:.1f} s "
        f"({(n_units * 2 + n_members) / total:,.0f} rows/s overall)"
    )


if __name__ == "__main__":
    main()
