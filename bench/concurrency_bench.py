"""Concurrent writes through a real server on loopback: what the clients got and what was stored.

    .venv/bin/python bench/concurrency_bench.py                       # SQLite, gunicorn
    .venv/bin/python bench/concurrency_bench.py --server runserver    # Django's dev server, as `make run`
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/concurrency_bench.py

The same probes as lib/tests/test_concurrency.py (lib/loopback/probes.py), with their figures
printed: a scratch database named after DATABASE_URL's (a temporary SQLite file, or
`<name>_conc_<pid>` on PostgreSQL) is created, migrated and filled with the demo, the server and
`manage.py db_worker` run on it, and it is dropped at the end. Exits non-zero on any problem.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib.loopback import probes  # noqa: E402
from lib.loopback.server import ScratchDatabase, Server, Worker  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=16, help="threads per gunicorn worker")
    parser.add_argument("--count", type=int, default=100, help="clients at once in each probe")
    parser.add_argument("--import-rows", type=int, default=40_000, help="0 skips the import probe")
    parser.add_argument("--members", type=int, default=2000, help="demo members to load")
    parser.add_argument("--only", default="", help="comma-separated: submissions,report,members,import")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))

    db = ScratchDatabase()
    server = worker = None
    problems = 0
    try:
        t = time.perf_counter()
        db.prepare(members=args.members)
        print(f"database: {db.vendor} {db.name}, migrated and filled in {time.perf_counter() - t:.1f} s")
        server = Server(db, kind=args.server, workers=args.workers, threads=args.threads).start()
        worker = Worker(db).start()
        detail = (
            f"gthread, {args.workers} workers x {args.threads} threads"
            if args.server == "gunicorn"
            else "threaded"
        )
        print(f"server: {args.server} ({detail}) on {server.base}; worker: manage.py db_worker")
        site = probes.Site(server, db, worker)
        runs = [
            ("submissions", lambda: probes.report_submissions(site, count=args.count)),
            ("report", lambda: probes.one_report_edits(site, count=args.count)),
            ("members", lambda: probes.member_edits(site, count=args.count)),
        ]
        if args.import_rows:
            runs.append(("import", lambda: probes.writes_during_import(site, rows=args.import_rows)))
        for name, run in runs:
            if only and name not in only:
                continue
            outcome = run()
            problems += len(outcome.problems)
            print(outcome.summary(), flush=True)
        for process in (server, worker):
            logged = process.errors()
            print(
                f"{process.name} log: {len(logged)} error lines"
                + (f", first: {logged[0][:200]}" if logged else "")
            )
    finally:
        for proc in (worker, server):
            if proc is not None:
                proc.stop()
        db.drop()
    if problems:
        sys.exit(f"{problems} problems")


if __name__ == "__main__":
    main()
