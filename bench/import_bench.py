"""Roster import through the real import path vs a raw bulk insert of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench \\
        .venv/bin/python bench/import_bench.py --rows 100000,300000,1000000

For each size N: write a CSV roster of N new members (Vietnamese headers, dd/mm/yyyy dates) for
one grassroots unit, then in a fresh subprocess each (so the peak RSS is that run's own):
  import  imports.members.import_members_file(path=..., unit=..., imported_by=None)
  raw     csv.reader + fold + date reformat, then COPY (PostgreSQL) / executemany (SQLite),
          no validation, no audit, no counts
Both run inside a transaction that is rolled back, so the database is unchanged and every
run inserts the same N new rows. Goals: import >= 0.5x the raw rate; peak memory flat as N
grows (1M rows under 300 MB).
"""

import argparse
import csv
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, describe_db, setup  # noqa: E402

HEADERS = [
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Số điện thoại",
    "Chức vụ",
    "Dân tộc",
    "Ngày vào công đoàn",
    "Số thẻ đoàn viên",
]
OUT_DIR = ROOT / "var" / "bench"


class Rollback(Exception):
    pass


def write_roster(path: Path, rows: int) -> None:
    """N plausible members; CCCD serials from 500000 up never clash with bench/generate.py's."""
    from demo import people as D

    rng = random.Random(rows)
    families = [f for f, _ in D.FAMILY_NAMES]
    weights = [w for _, w in D.FAMILY_NAMES]
    serial: dict[str, int] = {}
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for i in range(rows):
            female = rng.random() < 0.55
            name = (
                f"{rng.choices(families, weights)[0]} "
                f"{rng.choice(D.MIDDLE_FEMALE if female else D.MIDDLE_MALE)} "
                f"{rng.choice(D.GIVEN_FEMALE if female else D.GIVEN_MALE)}"
            )
            year = rng.randint(1966, 2004)
            prefix = f"045{(0 if year < 2000 else 2) + female}{year % 100:02d}"
            n = serial.get(prefix, 500_000)
            serial[prefix] = n + 1
            out.writerow(
                [
                    name,
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                    "Nữ" if female else "Nam",
                    f"{prefix}{n:06d}",
                    f"09{rng.randint(0, 99_999_999):08d}",
                    rng.choice(["Công nhân", "Giáo viên", "Chuyên viên", "Kế toán"]),
                    "Kinh",
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{min(year + rng.randint(19, 30), 2024)}",
                    f"QT{i:08d}",
                ]
            )


def run_import(path: Path, unit) -> dict:
    from django.db import transaction

    from imports.members import import_members_file

    outcome: dict = {}
    try:
        with transaction.atomic():
            result = import_members_file(path=path, unit=unit, imported_by=None)
            outcome = {
                "added": result.added,
                "updated": result.updated,
                "rows": result.rows,
                "ok": result.ok,
                "errors": [str(e) for e in result.errors[:3]],
            }
            raise Rollback
    except Rollback:
        pass
    return outcome


def run_raw(path: Path, unit) -> dict:
    from django.db import connection, transaction
    from generate import MEMBER_COLUMNS

    from lib.text import fold

    # The database numbers the rows, and a fresh member has no status change yet.
    columns = [c for c in MEMBER_COLUMNS if c not in ("id", "status_changed_on")]
    now = datetime.datetime.now(datetime.UTC).isoformat(sep=" ")

    def iso(dmy: str) -> str:
        d, m, y = dmy.split("/")
        return f"{y}-{m}-{d}"

    def rows():
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)
            for name, dob, sex, cccd, phone, position, ethnicity, joined, card in reader:
                yield (
                    unit.pk,
                    name,
                    fold(name),
                    iso(dob),
                    "female" if sex == "Nữ" else "male",
                    cccd,
                    phone,
                    position,
                    ethnicity,
                    iso(joined),
                    card,
                    "active",
                    now,
                    now,
                )

    count = 0
    try:
        with transaction.atomic(), connection.cursor() as c:
            if connection.vendor == "postgresql":
                with c.cursor.copy(f"COPY org_member ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows():
                        copy.write_row(row)
                        count += 1
            else:
                sql = (
                    f"INSERT INTO org_member ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
                )
                chunk: list[tuple] = []
                for row in rows():
                    chunk.append(row)
                    if len(chunk) == 5000:
                        c.cursor.executemany(sql, chunk)
                        count += len(chunk)
                        chunk = []
                c.cursor.executemany(sql, chunk)
                count += len(chunk)
            c.execute(
                "SELECT count(*) FROM org_member WHERE unit_id = %s", [unit.pk]
            )  # checks deferred FKs too
            raise Rollback
    except Rollback:
        pass
    return {"added": count, "rows": count, "ok": True}


def child(mode: str, path: Path, unit_code: str) -> None:
    """One measured run; prints a JSON line for the parent."""
    os.environ.setdefault("IMPORT_MAX_ROWS", "10000000")  # the bench's files are bigger than a roster's limit
    setup()
    from org.models import Unit

    unit = Unit.objects.get(code=unit_code)
    t = time.perf_counter()
    outcome = (run_import if mode == "import" else run_raw)(path, unit)
    seconds = time.perf_counter() - t
    # The file is parsed by a sandboxed child process (lib/sandbox.py): count its peak too
    # (the sum bounds what the two used at once).
    maxrss_mb = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    ) / 1024
    print(json.dumps({"seconds": seconds, "maxrss_mb": maxrss_mb, **outcome}))


def measure(mode: str, path: Path, unit_code: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--file", str(path), "--unit", unit_code],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"{mode} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="100000,300000,1000000", help="comma-separated sizes")
    parser.add_argument("--unit", help="code of the grassroots unit to import into (default: the first one)")
    parser.add_argument("--child", choices=["import", "raw"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.file), args.unit)
        return

    setup()
    from org.models import Member, Unit, UnitKind

    unit = (
        Unit.objects.get(code=args.unit)
        if args.unit
        else (Unit.objects.filter(kind=UnitKind.GRASSROOTS).order_by("path").first())
    )
    if unit is None:
        sys.exit("No grassroots unit: run bench/generate.py (or manage.py load_demo) first.")
    print(
        f"database: {describe_db()}; {Member.objects.count():,} members; importing into {unit.code} {unit.name}"
    )
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    print(
        f"{'rows':>9} {'import s':>9} {'import r/s':>11} {'raw s':>7} {'raw r/s':>9} {'ratio':>6} "
        f"{'import MB':>10} {'raw MB':>7}"
    )
    for n in [int(x) for x in args.rows.split(",") if x]:
        path = OUT_DIR / f"roster_{n}.csv"
        if not path.exists():
            write_roster(path, n)
        imp = measure("import", path, unit.code)
        raw = measure("raw", path, unit.code)
        if not imp.get("ok") or imp.get("added") != n:
            sys.exit(f"import did not add {n} rows: {imp}")
        imp_rate, raw_rate = n / imp["seconds"], n / raw["seconds"]
        print(
            f"{n:>9,} {imp['seconds']:>9.1f} {imp_rate:>11,.0f} {raw['seconds']:>7.1f} {raw_rate:>9,.0f} "
            f"{imp_rate / raw_rate:>5.2f}x {imp['maxrss_mb']:>10.0f} {raw['maxrss_mb']:>7.0f}"
        )
    print("goals: ratio >= 0.5x; import peak memory flat, under 300 MB at 1M rows")


if __name__ == "__main__":
    main()
