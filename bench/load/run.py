"""The load test: officers using the site at once through a real server on loopback, then a look
at the database. Exits non-zero on any error or any lost or doubled submission.

    .venv/bin/python bench/load/run.py --users 20 --run-time 30s          # demo data, scratch SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_load \\
        .venv/bin/python bench/load/run.py --users 20 --run-time 30s      # demo data, scratch PostgreSQL
    .venv/bin/python bench/load/run.py --database postgres://postgres@127.0.0.1:5432/thidua_bench \\
        --users 200 --run-time 3m                                          # an existing (national) data set

1. The database: without --database, a scratch one named after DATABASE_URL (a temporary SQLite
   file, or `<name>_conc_<pid>` on PostgreSQL; lib/loopback), migrated, filled with the demo and
   dropped at the end; with --database, that database as it is (it must be migrated), to which the
   setup adds only accounts, one report request (and the province's default forms when it has
   none), and the run adds only the virtual officers' reports.
2. The setup (bench/load/setup_load.py, through the project's services): one officer per
   grassroots unit for the virtual officers, and a fresh request from the province to its
   grassroots unions. It prints the rows it added.
3. The server (SERVER_CMD; the task worker beside it, WORKER_CMD) on 127.0.0.1 and a free port,
   then `locust --headless` (bench/load/locustfile.py) for --run-time with --users officers.
4. The checks: locust saw no failure (5xx, no answer, unexpected 4xx, a refused form); every
   submission an officer saw succeed is exactly one submitted report of its unit with one submit
   action and one version per save seen, no unit has two reports, nothing was submitted unseen;
   the server logged no traceback. Then p50/p95/p99 per page.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from lib.loopback.server import SETTINGS, ScratchDatabase, Server, Unavailable  # noqa: E402

HERE = Path(__file__).resolve().parent
# The server and its task worker. {python}, {host}, {port} are filled in. When `make serve` lands
# (gunicorn + production settings + whitenoise + worker), this becomes e.g.
#   SERVER_CMD = "make serve HOST={host} PORT={port}" and WORKER_CMD = "" (make serve starts it).
# Both can be overridden without editing: LOAD_SERVER_CMD, LOAD_WORKER_CMD, LOAD_SETTINGS.
SERVER_CMD = os.environ.get(
    "LOAD_SERVER_CMD",
    "{python} -m gunicorn config.wsgi:application --bind {host}:{port} --worker-class gthread"
    " --workers {workers} --threads {threads} --timeout 120 --graceful-timeout 10 --backlog 2048"
    " --no-control-socket --access-logfile - --access-logformat '%(s)s %(m)s %(U)s %(M)sms'",
)
WORKER_CMD = os.environ.get("LOAD_WORKER_CMD", "{python} manage.py db_worker --interval 0.5")
SERVER_SETTINGS = os.environ.get("LOAD_SETTINGS", SETTINGS)  # loopback: production-like, no debug


# Tables a run may write to besides the reports: counted before and after (what it leaves behind).
SIDE_TABLES = [
    "reports_report",
    "reports_reportversion",
    "reports_reportvalue",
    "reports_reviewaction",
    "auditlog_logentry",
    "django_session",
    "axes_accesslog",
    "axes_accessattempt",
]


def table_counts(db: ScratchDatabase) -> dict[str, int]:
    out = {}
    for table in SIDE_TABLES:
        try:
            out[table] = db.scalar(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (fixed names)
        except Exception:  # noqa: BLE001 (a table this deployment does not have)
            continue
    return out


class ExistingDatabase(ScratchDatabase):
    """A database that is already there (never created or dropped here)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        if self.vendor == "postgresql":
            self.url = url
            self.name = self.url.rsplit("/", 1)[1].split("?")[0]
        else:
            self.url, self.name = url, url.split("sqlite:///", 1)[1]

    def env(self) -> dict[str, str]:
        return {**super().env(), "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS}


class Scratch(ScratchDatabase):
    def env(self) -> dict[str, str]:
        return {**super().env(), "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS}


class Service(Server):
    """The site started by SERVER_CMD (or the worker by WORKER_CMD), waited for on the login page."""

    def __init__(self, db, *, name: str, cmd: str, workers: int, threads: int, wait: bool) -> None:
        super().__init__(db, workers=workers, threads=threads)
        self.name, self.template, self.wait = name, cmd, wait
        self.log_path = db.dir / f"{name}.log"

    def start(self) -> Service:
        values = {"python": sys.executable, "host": "127.0.0.1", "port": self.port}
        values |= {"workers": self.workers, "threads": self.threads}
        self.spawn(shlex.split(self.template.format(**values)))
        if not self.wait:
            return self
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=5) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise RuntimeError(f"the server did not answer within 120 s:\n{self.output()[-3000:]}")


def percentile_table(stats_csv: Path) -> tuple[list[dict], dict]:
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    pages = [r for r in rows if r["Name"] != "Aggregated"]
    total = next((r for r in rows if r["Name"] == "Aggregated"), {})
    return pages, total


def print_table(pages: list[dict], total: dict) -> None:
    head = (
        f"{'page':<34} {'requests':>8} {'fails':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    )
    print(head)
    print("-" * len(head))
    for r in sorted(pages, key=lambda r: r["Name"]) + ([total] if total else []):
        name = "TOTAL" if r is total else r["Name"]
        print(
            f"{name:<34} {r['Request Count']:>8} {r['Failure Count']:>5} {r['50%']:>7} {r['95%']:>7}"
            f" {r['99%']:>7} {float(r['Max Response Time']):>7.0f}"
        )
    if total:
        print(f"throughput: {float(total['Requests/s']):.1f} requests/s")


def check_submissions(db: ScratchDatabase, request_id: int, results: Path) -> tuple[list[str], str]:
    """Every save the officers saw against the database: problems, and a one-line summary."""
    seen_drafts: Counter = Counter()
    seen_submits: dict[int, list[int]] = defaultdict(list)  # unit -> report ids the client saw
    for line in results.read_text(encoding="utf-8").splitlines() if results.exists() else []:
        event = json.loads(line)
        if event["kind"] == "draft":
            seen_drafts[event["unit"]] += 1
        elif event["kind"] == "submit":
            seen_submits[event["unit"]].append(event["report"])
    rows = db.query(
        "SELECT r.unit_id, r.id, r.status, "
        "(SELECT COUNT(*) FROM reports_reportversion v WHERE v.report_id = r.id), "
        "(SELECT COUNT(*) FROM reports_reviewaction a WHERE a.report_id = r.id AND a.kind = 'submit') "
        "FROM reports_report r WHERE r.request_id = %s",
        [request_id],
    )
    problems: list[str] = []
    per_unit = Counter(unit for unit, *_ in rows)
    stored = {unit: (pk, status, versions, submits) for unit, pk, status, versions, submits in rows}
    for unit, n in per_unit.items():
        if n > 1:
            problems.append(f"unit {unit}: {n} reports for one request (doubled)")
    for unit, reports in seen_submits.items():
        found = stored.get(unit)
        if len(reports) > 1:
            problems.append(f"unit {unit}: submitted {len(reports)} times with success (doubled)")
        if found is None:
            problems.append(f"unit {unit}: submit answered success, no report stored (lost)")
            continue
        pk, status, versions, submits = found
        if pk != reports[0] or status != "submitted":
            problems.append(f"unit {unit}: submit answered report {reports[0]}, stored {pk} {status} (lost)")
        if submits != 1:
            problems.append(f"unit {unit}: {submits} submit actions for one submission")
        if versions != seen_drafts[unit] + 1:
            problems.append(
                f"unit {unit}: {versions} versions for {seen_drafts[unit]} drafts + 1 submit seen"
            )
    for unit, (pk, status, versions, submits) in stored.items():
        if unit not in seen_submits:
            if status != "draft" or submits:
                problems.append(f"unit {unit}: report {pk} is {status} but no officer saw it submitted")
            if versions != seen_drafts[unit]:
                problems.append(f"unit {unit}: {versions} versions for {seen_drafts[unit]} drafts seen")
    submitted = sum(1 for _pk, status, *_ in stored.values() if status == "submitted")
    summary = (
        f"submissions: {sum(map(len, seen_submits.values()))} seen succeed, {submitted} submitted reports "
        f"stored; drafts: {sum(seen_drafts.values())} seen; {len(stored)} reports for the request"
    )
    return problems, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", 200)))
    parser.add_argument("--run-time", default=os.environ.get("LOAD_TIME", "3m"))
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--wait", default="2,6", help="seconds between an officer's clicks: min,max")
    parser.add_argument("--database", default="", help="an existing database URL (else a scratch demo)")
    parser.add_argument("--members", type=int, default=2000, help="demo members in a scratch database")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes ({workers})")
    parser.add_argument("--threads", type=int, default=16, help="threads per worker ({threads})")
    parser.add_argument("--keep", action="store_true", help="print the log directory and keep it")
    args = parser.parse_args()

    db = ExistingDatabase(args.database) if args.database else Scratch()
    server = worker = None
    problems: list[str] = []
    try:
        t = time.perf_counter()
        if not args.database:
            Server.check()
            db.prepare(members=args.members)
            print(
                f"database: {db.vendor} {db.name}, migrated and filled with the demo in {time.perf_counter() - t:.0f} s"
            )
        else:
            print(f"database: {db.vendor} {db.name} (existing)")
        plan_path, results = db.dir / "plan.json", db.dir / "results.jsonl"
        t = time.perf_counter()
        setup = subprocess.run(
            [
                sys.executable,
                str(HERE / "setup_load.py"),
                "--users",
                str(args.users),
                "--out",
                str(plan_path),
            ],
            cwd=ROOT,
            env=db.env(),
            capture_output=True,
            text=True,
        )
        if setup.returncode:
            raise RuntimeError(f"the setup failed:\n{setup.stdout}\n{setup.stderr}")
        added = json.loads(setup.stdout.strip().splitlines()[-1])
        print(f"setup in {time.perf_counter() - t:.1f} s: {json.dumps(added, ensure_ascii=False)}")
        plan = json.loads(plan_path.read_text(encoding="utf-8"))

        before = table_counts(db)
        opts = {"workers": args.workers, "threads": args.threads}
        server = Service(db, name="server", cmd=SERVER_CMD, wait=True, **opts).start()
        if WORKER_CMD:
            worker = Service(db, name="worker", cmd=WORKER_CMD, wait=False, **opts).start()
        print(
            f"server: {SERVER_CMD.split(' --access')[0].format(python='python', host='127.0.0.1', port=server.port, **opts)}"
        )
        print(
            f"load: {args.users} officers for {args.run_time} (spawn {args.spawn_rate}/s, {args.wait} s between clicks)",
            flush=True,
        )
        stats = db.dir / "locust"
        env = {
            **os.environ,
            "LOAD_PLAN": str(plan_path),
            "LOAD_RESULTS": str(results),
            "LOAD_USERS": str(args.users),
            "LOAD_WAIT": args.wait,
        }
        cmd = [
            *(sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless"),
            *("--host", server.base, "--users", str(args.users), "--spawn-rate", str(args.spawn_rate)),
            # users finish their task at the end: longer than the client's timeout (120 s), so every
            # request sent gets its answer (or its timeout) before the check
            *("--run-time", args.run_time, "--stop-timeout", "150", "--csv", str(stats)),
            *("--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"),
        ]
        t = time.perf_counter()
        ran = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"locust ran {time.perf_counter() - t:.0f} s, exit {ran.returncode}; load average {load} on {os.cpu_count()} cores"
        )
        if ran.returncode:
            problems.append(f"locust exited with {ran.returncode}: {ran.stderr[-2000:]}")
        pages, total = percentile_table(Path(f"{stats}_stats.csv"))
        print_table(pages, total)
        failures = list(csv.DictReader(Path(f"{stats}_failures.csv").open(encoding="utf-8")))
        for f in failures:
            problems.append(f"{f['Occurrences']} × {f['Method']} {f['Name']}: {f['Error'][:300]}")
        if not total or int(total["Request Count"]) == 0:
            problems.append("no request was made")
        for proc in (worker, server):  # nothing may still be writing when the database is read
            if proc is not None:
                proc.stop()
        subs, summary = check_submissions(db, plan["request"], results)
        print(summary)
        problems += subs
        events = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
        if not any(e["kind"] == "submit" for e in events):
            problems.append("no officer submitted a report (the run is too short?)")
        for process in (server, worker):
            if process is not None:
                logged = process.errors()
                if logged:
                    problems.append(
                        f"{process.name} log: {len(logged)} error lines, first: {logged[0][:300]}"
                    )
        after = table_counts(db)
        added = {t: after[t] - before[t] for t in after if t in before and after[t] != before[t]}
        print(f"rows added by the run (request {plan['request']}): {json.dumps(added)}")
    except Unavailable as exc:  # no gunicorn, no PostgreSQL: a failure on CI, else a clear skip
        if os.environ.get("CI") != "true":
            print(f"load test SKIPPED: {exc}")
            return
        problems.append(str(exc))
    finally:
        for proc in (worker, server):
            if proc is not None:
                proc.stop()
        if args.keep:
            print(f"logs and plan kept in {db.dir}")
            db.dir = Path("/nonexistent-keep")  # drop() removes db.dir: keep it
        db.drop()
    if problems:
        print(f"FAILED: {len(problems)} problems")
        for p in problems[:30]:
            print(f"  {p}")
        sys.exit(1)
    print("OK: 0 errors, 0 lost or doubled submissions")


if __name__ == "__main__":
    main()
