"""Roster import through the real import path vs the floor: a raw COPY of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_import \\
        .venv/bin/python bench/import_bench.py --rows 300000,1000000 --rounds 3,1

For each size N: write a CSV roster of N new members (Vietnamese headers, dd/mm/yyyy dates) for
one grassroots unit, then alternate the two sides, each in a fresh subprocess (so the peak RSS
is that run's own), `--rounds` times (the order swapped every other round):
  app    imports.members.import_members_file(path=..., unit=..., imported_by=None): the sandboxed
         reader, every check, the staging table, member counts, the one audit entry
  floor  csv.reader + fold + date reformat in this process, one COPY of the same rows into
         org_member (same table, same indexes, same columns), no validation, no audit
Both run inside a transaction that fires the deferred FK checks (`SET CONSTRAINTS ALL
IMMEDIATE`, timed) and then rolls back; the parent VACUUMs org_member between runs so that no
run pays for the dead rows of the one before. Goal: app >= 0.8x the floor's rate; memory flat
(< 200 MB) as N grows. PostgreSQL only (the SQLite path has no COPY to compare with).
"""

import argparse
import csv
import datetime
import json
import os
import random
import resource
import statistics
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


def fire_deferred(cursor) -> float:
    """Check the deferred FK constraints now (inside the transaction), as a commit would."""
    t = time.perf_counter()
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return time.perf_counter() - t


def run_app(path: Path, unit) -> dict:
    from django.db import connection, transaction

    from imports.members import import_members_file

    outcome: dict = {}
    try:
        with transaction.atomic():
            result = import_members_file(path=path, unit=unit, imported_by=None)
            with connection.cursor() as c:
                fk = fire_deferred(c)
            outcome = {
                "added": result.added,
                "rows": result.rows,
                "ok": result.ok,
                "fk_s": fk,
                "errors": [str(e) for e in result.errors[:3]],
            }
            raise Rollback
    except Rollback:
        pass
    return outcome


def run_floor(path: Path, unit) -> dict:
    from django.db import connection, transaction
    from generate import MEMBER_COLUMNS

    from lib.text import fold

    # The database numbers the rows, and a fresh member has no status change yet.
    columns = [c for c in MEMBER_COLUMNS if c not in ("id", "status_changed_on")]
    now = datetime.datetime.now(datetime.UTC).isoformat(sep=" ")

    def iso(dmy: str) -> str:
        d, m, y = dmy.split("/")
        return f"{y}-{m}-{d}"

    count = 0
    try:
        with transaction.atomic(), connection.cursor() as c:
            with (
                path.open(newline="", encoding="utf-8") as fh,
                c.cursor.copy(f"COPY org_member ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                reader = csv.reader(fh)
                next(reader)
                write_row = copy.write_row
                for name, dob, sex, cccd, phone, position, ethnicity, joined, card in reader:
                    write_row(
                        (
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
                    )
                    count += 1
            fk = fire_deferred(c)
            raise Rollback
    except Rollback:
        pass
    return {"added": count, "rows": count, "ok": True, "fk_s": fk}


def child(mode: str, path: Path, unit_code: str) -> None:
    """One measured run; prints a JSON line for the parent."""
    os.environ.setdefault("IMPORT_MAX_ROWS", "20000000")  # the bench's files are bigger than a roster's limit
    setup()
    from org.models import Unit

    unit = Unit.objects.get(code=unit_code)
    t = time.perf_counter()
    outcome = (run_app if mode == "app" else run_floor)(path, unit)
    seconds = time.perf_counter() - t
    # The app's file is read by a sandboxed child process (lib/sandbox.py): its peak is reported
    # on its own (the two run at once, so the sum bounds what they used together).
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                **outcome,
            }
        )
    )


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


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("VACUUM org_member")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="300000,1000000", help="comma-separated sizes")
    parser.add_argument("--rounds", default="3,1", help="rounds per size (comma-separated, last one repeats)")
    parser.add_argument("--unit", help="code of the grassroots unit to import into (default: the first one)")
    parser.add_argument("--child", choices=["app", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.file), args.unit)
        return

    setup()
    from django.db import connection

    from org.models import Member, Unit, UnitKind

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL (the floor is a COPY).")
    unit = (
        Unit.objects.get(code=args.unit)
        if args.unit
        else (Unit.objects.filter(kind=UnitKind.GRASSROOTS).order_by("path").first())
    )
    if unit is None:
        sys.exit("No grassroots unit: run bench/generate.py first.")
    with connection.cursor() as c:
        c.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'org_member' ORDER BY 1")
        indexes = [name for (name,) in c.fetchall()]
    print(
        f"database: {describe_db()}; {Member.objects.count():,} members; importing into {unit.code}; "
        f"org_member indexes: {', '.join(indexes)}"
    )
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    sizes = [int(x) for x in args.rows.split(",") if x]
    rounds = [int(x) for x in args.rounds.split(",") if x]
    print(
        f"{'rows':>9} {'round':>5} {'side':>5} {'s':>7} {'rows/s':>9} {'FK s':>5} {'RSS MB':>7} {'reader MB':>9}"
    )
    summary = []
    for i, n in enumerate(sizes):
        path = OUT_DIR / f"roster_{n}.csv"
        if not path.exists():
            write_roster(path, n)
        times: dict[str, list[float]] = {"app": [], "floor": []}
        rss: dict[str, list[float]] = {"app": [], "floor": []}
        for r in range(rounds[min(i, len(rounds) - 1)]):
            for mode in ("app", "floor") if r % 2 == 0 else ("floor", "app"):
                vacuum()
                out = measure(mode, path, unit.code)
                if not out.get("ok") or out.get("added") != n:
                    sys.exit(f"{mode} did not add {n} rows: {out}")
                times[mode].append(out["seconds"])
                rss[mode].append(out["rss_mb"])
                print(
                    f"{n:>9,} {r + 1:>5} {mode:>5} {out['seconds']:>7.1f} {n / out['seconds']:>9,.0f} "
                    f"{out['fk_s']:>5.2f} {out['rss_mb']:>7.0f} {out['child_rss_mb']:>9.0f}",
                    flush=True,
                )
        app_min, floor_min = min(times["app"]), min(times["floor"])
        app_med, floor_med = statistics.median(times["app"]), statistics.median(times["floor"])
        summary.append(
            f"{n:>9,} {len(times['app']):>6} {app_min:>8.1f} {app_med:>8.1f} {floor_min:>9.1f} {floor_med:>9.1f} "
            f"{floor_min / app_min:>8.2f}x {floor_med / app_med:>8.2f}x {max(rss['app']):>7.0f} {max(rss['floor']):>9.0f}"
        )
    print()
    print(
        f"{'rows':>9} {'rounds':>6} {'app min':>8} {'app med':>8} {'floor min':>9} {'floor med':>9} "
        f"{'ratio min':>9} {'ratio med':>9} {'app MB':>7} {'floor MB':>9}"
    )
    print("\n".join(summary))
    print("ratio = floor time / app time (app rate as a share of the floor's); goal >= 0.8x, app < 200 MB")


if __name__ == "__main__":
    main()
