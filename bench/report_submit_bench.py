"""Report submissions under load, Excel upload, and "who is missing" at national scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/report_submit_bench.py

Needs the data of report_rollup_bench.py (the 30-indicator form "BENCH-ROLLUP-30" and its national
request); run that once first. Each run adds one small request and never deletes anything.

1. Concurrent submissions: a fresh request of the bench form to 255 grassroots units (one officer
   with a DRF token each, created once and reused), a real `manage.py runserver --noreload`
   (threaded) on 127.0.0.1 and a free port, then
     wave 1  200 units POST /api/reports/ with submit=true, --workers at a time;
     wave 2  50 other units POST the same report twice at the same moment (a barrier per pair):
             exactly one of each pair must get 201 and the other 409.
   Then the database must hold one submitted report per unit that got a 201, each with exactly
   one version, 30 values and one submit action. The server is stopped whatever happens.
2. Excel upload: for 5 more units, the blank form built by reports.xlsx.form_xlsx (what the
   download view sends), 30 value cells filled with openpyxl, then reports.xlsx.report_upload_xlsx
   (what the upload view calls): read + validate only, and read + validate + save + submit.
3. Who is missing for the national request, alternated with hand-written floors (--repeat
   rounds, bench/common.py): the request page's selectors (status_counts; recipients "not
   started", count + first page of 50) for an officer at the confederation and one at a
   province, and the roll-up page's missing_units (count + first page); answers must match.
Exits non-zero when a submission is lost or duplicated. Loopback only; bounded in count and time.
"""

import argparse
import datetime
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, best_of, describe_db, setup  # noqa: E402

FORM_CODE = "BENCH-ROLLUP-30"
WAVE1, WAVE2, XLSX_RUNS = 200, 50, 5
USER_PREFIX = "bench_submit_"
HTTP_TIMEOUT = 60
NETWORK_ERRORS: Counter = Counter()  # status 0 above: the client could not get an answer


def values_for(n: int) -> dict:
    """Valid figures for the 30 indicators of the bench form (JSON types, as a client sends)."""
    out: dict = {}
    for k in range(1, 13):
        out[f"count_{k}"] = (n * k) % 500
    for k in range(1, 5):
        out[f"money_{k}"] = ((n + k) % 1000) * 100000
    for k in range(1, 6):
        out[f"rate_{k}"] = round(((n * k) % 1000) / 10, 1)
    for k in range(1, 5):
        out[f"has_{k}"] = (n + k) % 2 == 0
    out["low_1"], out["low_2"], out["high_1"], out["high_2"] = n % 7, n % 11, n % 300, n % 400
    out["note_1"] = f"ghi chú {n}"
    return out


def ensure_people(units):
    """One officer with a token per unit, plus officers at the root and at one province."""
    from rest_framework.authtoken.models import Token

    from accounts.models import Role, User
    from org.models import Unit

    def officer(username: str, unit) -> User:
        user, created = User.objects.get_or_create(username=username, defaults={"unit": unit})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not Role.objects.active().filter(user=user, unit=unit, kind=Role.Kind.OFFICER).exists():
            Role.objects.create(user=user, unit=unit, kind=Role.Kind.OFFICER)
        return user

    root = Unit.objects.get(depth=1)
    province = Unit.objects.filter(depth=2).order_by("path").first()
    tokens = {}
    for unit in units:
        user = officer(f"{USER_PREFIX}{unit.pk}", unit)
        tokens[unit.pk] = (user, Token.objects.get_or_create(user=user)[0].key)
    return officer("bench_root_officer", root), officer("bench_province_officer", province), tokens


def pick_units(n: int):
    """n active grassroots units spread over the country (every k-th by path), always the same."""
    from org.models import Unit, UnitStatus

    ids = list(
        Unit.objects.filter(kind="grassroots", status=UnitStatus.ACTIVE)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    step = len(ids) // n
    chosen = [ids[i * step] for i in range(n)]
    by_id = Unit.objects.in_bulk(chosen)
    return [by_id[i] for i in chosen]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log, *, backlog: int):
    env = dict(os.environ, ALLOWED_HOSTS="127.0.0.1", PYTHONUNBUFFERED="1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # `manage.py runserver --noreload 127.0.0.1:port`, with the listen backlog of Django's dev
    # server (WSGIServer.request_queue_size, 10) raised to `backlog`: with 50 clients at once the
    # stock 10 makes the kernel reset some connections before Django sees them.
    launcher = (
        "import sys, django; django.setup(); "
        "from django.core.servers.basehttp import WSGIServer; "
        f"WSGIServer.request_queue_size = {backlog}; "
        "from django.core.management import call_command; "
        f"call_command('runserver', '127.0.0.1:{port}', use_reloader=False)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", launcher],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/report-forms/", timeout=5):
                pass
        except urllib.error.HTTPError:
            return proc  # 401/403 without a token: it answers
        except OSError:
            time.sleep(0.2)
            continue
        return proc
    raise RuntimeError("the server did not answer within 60 s")


def stop_server(proc) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def post(url: str, token: str, body: dict, barrier: threading.Barrier | None = None) -> tuple[int, float]:
    """(status, seconds) of one POST; the clock starts after the barrier."""
    data = json.dumps(body).encode()
    req = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    if barrier is not None:
        try:
            barrier.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as resp:
            resp.read()
            code = resp.status
    except urllib.error.HTTPError as exc:
        exc.read()
        code = exc.code
    except OSError as exc:
        code = 0  # connection refused / reset / timeout
        NETWORK_ERRORS[type(exc).__name__ + ": " + str(exc)[:120]] += 1
    return code, time.perf_counter() - t


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def report_wave(name: str, results: list[tuple[int, float]], wall: float) -> None:
    lat = [s for _c, s in results]
    codes = Counter(c for c, _s in results)
    print(
        f"{name}: {len(results)} requests in {wall:.2f} s = {len(results) / wall:.1f} req/s; "
        f"latency p50 {pct(lat, 50) * 1000:.0f} ms, p95 {pct(lat, 95) * 1000:.0f} ms, "
        f"max {max(lat) * 1000:.0f} ms, mean {statistics.mean(lat) * 1000:.0f} ms; "
        f"status {dict(sorted(codes.items()))}"
    )


def submissions(*, request, wave1, wave2, tokens, workers: int, backlog: int) -> list[str]:
    """Run both waves against a live server; the list of problems found (empty = none lost)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/reports/"
    problems: list[str] = []
    proc = None
    with tempfile.TemporaryFile(mode="w+") as log:
        try:
            t = time.perf_counter()
            proc = start_server(port, log, backlog=backlog)
            print(
                f"server: runserver --noreload (threaded, listen backlog {backlog}) on 127.0.0.1:{port}, up in {time.perf_counter() - t:.1f} s"
            )

            def one(unit, barrier=None):
                body = {"request": request.pk, "unit": unit.pk, "values": values_for(unit.pk), "submit": True}
                return post(url, tokens[unit.pk][1], body, barrier)

            with ThreadPoolExecutor(max_workers=workers) as pool:
                t = time.perf_counter()
                first = list(pool.map(one, wave1))
                report_wave(
                    f"wave 1 ({len(wave1)} units, {workers} at a time)", first, time.perf_counter() - t
                )
                jobs = []
                t = time.perf_counter()
                for unit in wave2:  # both halves of a pair are queued together and meet at a barrier
                    barrier = threading.Barrier(2)
                    jobs += [pool.submit(one, unit, barrier), pool.submit(one, unit, barrier)]
                second = [j.result() for j in jobs]
                report_wave(f"wave 2 ({len(wave2)} units x 2 at once)", second, time.perf_counter() - t)
        finally:
            stop_server(proc)
            log.seek(0)
            server_log = log.read()
    if NETWORK_ERRORS:
        problems.append(f"network errors: {dict(NETWORK_ERRORS)}")
    errors = [line for line in server_log.splitlines() if "Traceback" in line or " 500 " in line]
    if errors:
        problems.append(f"server errors: {len(errors)} (first: {errors[0][:200]})")
    for unit, (code, _s) in zip(wave1, first, strict=True):
        if code != 201:
            problems.append(f"wave 1: unit {unit.pk} got {code}")
    for k, unit in enumerate(wave2):
        pair = [second[2 * k][0], second[2 * k + 1][0]]
        if sorted(pair) != [201, 409]:
            problems.append(f"wave 2: unit {unit.pk} got {sorted(pair)} (want one 201 and one 409)")
    return problems


def check_database(*, request, units) -> list[str]:
    """Exactly one submitted report per unit, each with one version, 30 values, one submit action."""
    from django.db.models import Count, Q

    from reports.models import Report, ReviewAction

    rows = (
        Report.objects.filter(request=request)
        .annotate(
            n_versions=Count("versions", distinct=True),
            n_values=Count("versions__values", distinct=True),
            n_submits=Count("actions", filter=Q(actions__kind=ReviewAction.Kind.SUBMIT), distinct=True),
        )
        .values("unit_id", "status", "n_versions", "n_values", "n_submits", "current_version_id")
    )
    by_unit = {r["unit_id"]: r for r in rows}
    problems = []
    submitted = sum(1 for r in by_unit.values() if r["status"] == Report.Status.SUBMITTED)
    one_version = sum(1 for r in by_unit.values() if r["n_versions"] == 1)
    print(
        f"database: {len(by_unit)} reports, {submitted} submitted, {one_version} with exactly one version "
        f"(expected {len(units)} of each)"
    )
    for unit in units:
        r = by_unit.get(unit.pk)
        if r is None:
            problems.append(f"unit {unit.pk}: no report (lost)")
        elif (r["status"], r["n_versions"], r["n_values"], r["n_submits"]) != ("submitted", 1, 30, 1):
            problems.append(f"unit {unit.pk}: {r}")
    if len(by_unit) != len(units):
        problems.append(f"{len(by_unit)} reports for {len(units)} units")
    return problems


def xlsx_upload(*, request, units, tokens, repeat: int) -> None:
    """Fill the downloaded form for each unit and time the upload path (validate; validate + save)."""
    from openpyxl import load_workbook

    from org.selectors.units import unit_rollup
    from reports.models import Report
    from reports.services.values import validate_values
    from reports.xlsx import DATA_SHEET, form_xlsx, report_upload_xlsx, xlsx_read

    files = {}
    t = time.perf_counter()
    for unit in units:
        wb = load_workbook(BytesIO(form_xlsx(request=request, unit=unit, report=None)))
        ws = wb[DATA_SHEET]
        values = values_for(unit.pk)
        filled = 0
        for row in ws.iter_rows(min_row=1, max_col=4):
            code = row[0].value
            if isinstance(code, str) and code in values:
                value = values[code]
                row[3].value = ("Có" if value else "Không") if isinstance(value, bool) else value
                filled += 1
        assert filled == 30, filled
        out = BytesIO()
        wb.save(out)
        files[unit.pk] = out.getvalue()
    build = (time.perf_counter() - t) / len(units)
    print(
        f"xlsx: form built + filled with openpyxl: {build * 1000:.0f} ms a file, {len(files[units[0].pk]):,} bytes"
    )

    unit = units[0]

    def check_only():
        upload = xlsx_read(data=files[unit.pk], request=request, unit=unit)
        checked = validate_values(
            version=request.version, raw=upload.raw, members=unit_rollup(unit=unit)["members"]
        )
        assert upload.ok and checked.ok, (upload.errors, checked.errors)
        return checked

    check_s, _r = best_of(check_only, repeat=repeat)
    saves = []
    for unit in units:  # a fresh report each run: save + submit can happen once per unit
        user = tokens[unit.pk][0]
        t = time.perf_counter()
        upload = report_upload_xlsx(request=request, unit=unit, data=files[unit.pk], by=user, submit=True)
        saves.append(time.perf_counter() - t)
        assert upload.ok, upload.errors
    done = Report.objects.filter(request=request, unit__in=units, status=Report.Status.SUBMITTED).count()
    print(f"xlsx upload, read + validate 30 cells (best of {repeat}): {check_s * 1000:.1f} ms")
    print(
        f"xlsx upload, read + validate + save + submit (report_upload_xlsx, {len(units)} fresh reports): "
        f"best {min(saves) * 1000:.1f} ms, median {statistics.median(saves) * 1000:.1f} ms; {done} submitted"
    )


# Floors of the request page for one officer's subtree (no unit condition at the root): the
# recipients' statuses in one GROUP BY, and the "not started" count and first page.
STATUS_SQL = """
SELECT coalesce(r.status, 'not_started'), count(*)
FROM reports_requestrecipient rr JOIN org_unit u ON u.id = rr.unit_id
LEFT JOIN reports_report r ON r.request_id = rr.request_id AND r.unit_id = rr.unit_id
WHERE rr.request_id = %(request)s {subtree}
GROUP BY 1
"""
# The same with the report read per recipient row (a nested loop from the subtree's recipients):
# quicker for a small subtree, where the join above hashes every report of the request.
STATUS_PER_ROW_SQL = """
SELECT coalesce((SELECT r.status FROM reports_report r
                 WHERE r.request_id = rr.request_id AND r.unit_id = rr.unit_id), 'not_started'), count(*)
FROM reports_requestrecipient rr JOIN org_unit u ON u.id = rr.unit_id
WHERE rr.request_id = %(request)s {subtree}
GROUP BY 1
"""
NOT_STARTED_PER_ROW_FROM = """
FROM reports_requestrecipient rr JOIN org_unit u ON u.id = rr.unit_id
WHERE rr.request_id = %(request)s {subtree}
  AND (SELECT r.id FROM reports_report r WHERE r.request_id = rr.request_id AND r.unit_id = rr.unit_id) IS NULL
"""
NOT_STARTED_FROM = """
FROM reports_requestrecipient rr JOIN org_unit u ON u.id = rr.unit_id
WHERE rr.request_id = %(request)s {subtree}
  AND NOT EXISTS (SELECT 1 FROM reports_report r WHERE r.request_id = rr.request_id AND r.unit_id = rr.unit_id)
"""


def who_is_missing(*, national, root_user, province_user, rounds: int) -> None:
    """The request page and the roll-up page's "who is missing", alternated with their floors."""
    from common import Case, alternate, fastest, report, sql_rows
    from django.core.paginator import Paginator
    from report_rollup_bench import floor_missing

    from accounts.models import Role
    from reports.selectors.requests import NOT_STARTED, STATUSES, recipient_rows, status_counts
    from reports.selectors.rollup import missing_units

    def counts(user):
        got = status_counts(request=national, user=user)
        return {s: got[s] for s in STATUSES if s != "late" and got[s]}

    def not_started_page(user):
        page = Paginator(recipient_rows(request=national, user=user, status=NOT_STARTED), 50).page(1)
        return page.paginator.count, [r.unit.name for r in page.object_list]

    def rollup_page(unit):
        page = Paginator(missing_units(request=national, unit=unit), 50).page(1)
        return page.paginator.count, [u.pk for u in page.object_list]

    cases = []
    for user in (root_user, province_user):
        unit = Role.objects.active().filter(user=user).select_related("unit").first().unit
        subtree = "" if unit.depth == 1 else "AND u.path LIKE %(prefix)s"
        params = {"request": national.pk, "prefix": unit.path + "%"}

        def floor_counts(sql, subtree=subtree, params=params):
            return lambda: {s: n for s, n in sql_rows(sql.format(subtree=subtree), params) if n}

        def one(where, params=params):
            def fn():
                rows = sql_rows(f"SELECT u.name, count(*) OVER () {where} ORDER BY u.path LIMIT 50", params)
                return (rows[0][1] if rows else 0), [r[0] for r in rows]

            return fn

        def two(where, params=params):
            def fn():
                count = sql_rows(f"SELECT count(*) {where}", params)[0][0]
                return count, [
                    r[0] for r in sql_rows(f"SELECT u.name {where} ORDER BY u.path LIMIT 50", params)
                ]

            return fn

        count_name, floor_count = fastest(
            {"joined": floor_counts(STATUS_SQL), "report per row": floor_counts(STATUS_PER_ROW_SQL)}
        )
        candidates = {}
        for shape, sql in (("NOT EXISTS", NOT_STARTED_FROM), ("report per row", NOT_STARTED_PER_ROW_FROM)):
            where = sql.format(subtree=subtree)
            candidates[f"{shape}, window count"] = one(where)
            candidates[f"{shape}, count then page"] = two(where)
        name, floor_page = fastest(candidates)
        miss_name, floor_miss = floor_missing(national, unit)
        label = "national" if unit.depth == 1 else unit.code
        cases += [
            Case(
                f"{label}: request page, status counts",
                lambda u=user: counts(u),
                floor_count,
                note=f"floor: {count_name}",
            ),
            Case(
                f"{label}: request page, not started + page 1",
                lambda u=user: not_started_page(u),
                floor_page,
                note=f"floor: {name}",
            ),
            Case(
                f"{label}: roll-up page, missing + page 1",
                lambda u=unit: rollup_page(u),
                floor_miss,
                note=f"floor: {miss_name}",
            ),
        ]
    report(alternate(cases, rounds=rounds), goal=1.5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--backlog", type=int, default=128, help="the server's listen backlog (Django's runserver has 10)"
    )
    args = parser.parse_args()
    setup(migrate=False)
    from django.db import connection

    from reports.models import FormVersion, ReportRequest
    from reports.services.requests import request_create

    if connection.vendor != "postgresql":
        sys.exit("run this on PostgreSQL (DATABASE_URL=postgres://...)")
    started = time.perf_counter()
    version = FormVersion.objects.filter(form__code=FORM_CODE, number=1).first()
    national = ReportRequest.objects.filter(version=version, title="Bench: national report").first()
    if version is None or national is None:
        sys.exit("run bench/report_rollup_bench.py first (it builds the form and the national request)")
    print(f"database: {describe_db()}")
    units = pick_units(WAVE1 + WAVE2 + XLSX_RUNS)
    root_user, province_user, tokens = ensure_people(units)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    request = request_create(
        version=version,
        unit=national.unit,
        title=f"Bench: {len(units)} submissions {stamp}",
        due_on=datetime.date(2026, 12, 31),
        by=root_user,
        unit_ids=[u.pk for u in units],
    )
    request = ReportRequest.objects.select_related("version__form", "unit").get(pk=request.pk)
    print(
        f"request {request.pk} to {request.recipient_rows.count()} grassroots units; setup {time.perf_counter() - started:.1f} s"
    )
    wave1, wave2, xlsx_units = units[:WAVE1], units[WAVE1 : WAVE1 + WAVE2], units[WAVE1 + WAVE2 :]

    problems = submissions(
        request=request, wave1=wave1, wave2=wave2, tokens=tokens, workers=args.workers, backlog=args.backlog
    )
    problems += check_database(request=request, units=wave1 + wave2)
    xlsx_upload(request=request, units=xlsx_units, tokens=tokens, repeat=args.repeat)
    who_is_missing(
        national=national, root_user=root_user, province_user=province_user, rounds=max(args.repeat, 3)
    )
    print(f"total {time.perf_counter() - started:.1f} s")
    if problems:
        for p in problems[:20]:
            print(f"PROBLEM: {p}", file=sys.stderr)
        sys.exit(f"{len(problems)} problems: submissions lost, duplicated or refused")
    print("submissions: none lost, none duplicated; each concurrent pair gave one 201 and one 409")


if __name__ == "__main__":
    main()
