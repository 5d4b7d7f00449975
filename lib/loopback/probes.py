"""Concurrent writes through the real server, each followed by a look at the database.

Every probe returns an `Outcome`: the statuses the clients got and the list of problems found,
where a problem is any 5xx or unanswered request, a success that is not in the database (lost),
a row written twice (doubled), or a row left behind by a request that failed (orphan). Losers of
a designed race (a stale `revision`) get 409, which is not a problem."""

from __future__ import annotations

import io
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from lib.loopback.client import Client, Response, api_token, burst
from lib.loopback.server import ScratchDatabase, Server, Worker
from lib.spreadsheets import csv_writer

OFFICER, PASSWORD = "tinh.quangtri", "thidua2021"  # the demo's provincial officer (Quảng Trị)
REPORT_TABLES = ("reports_report", "reports_reportversion", "reports_reportvalue", "reports_reviewaction")


@dataclass
class Outcome:
    name: str
    statuses: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    overlapping: int = 0  # writes under way while a background job ran

    def count(self, answers: list[Response]) -> None:
        self.statuses.update(a.status for a in answers)
        for a in answers:
            if a.status == 0 or a.status >= 500:
                self.problems.append(
                    f"{a.label or 'request'}: {a.status or 'no answer'} {a.error or a.brief}"
                )

    def summary(self) -> str:
        statuses = ", ".join(f"{n} × {s or 'no answer'}" for s, n in sorted(self.statuses.items()))
        lines = [f"{self.name}: {statuses} in {self.seconds:.1f} s; {len(self.problems)} problems"]
        lines += [f"  {note}" for note in self.notes]
        lines += [f"  PROBLEM {p}" for p in self.problems[:15]]
        if len(self.problems) > 15:
            lines.append(f"  ... and {len(self.problems) - 15} more")
        return "\n".join(lines)


def figures(k: int) -> dict:
    """Valid figures for the demo's report form, `initiatives` = k so each client's are its own."""
    return {
        "units_registered": 1,
        "members_registered": 0,
        "participation_rate": 80,
        "review_held": True,
        "pilot_models": 0,
        "good_practices": 1,
        "initiatives": k,
        "initiative_value": 0,
        "contest_entries": 2,
        "helped_members": 0,
        "helped_women": 0,
        "support_amount": 0,
        "exemplary_families": 0,
        "assessment": f"probe {k}",
    }


def invalid_figures(k: int) -> dict:
    """Well-typed figures that break a rule of the form: refused only once the report is read."""
    return {**figures(k), "helped_women": 3, "helped_members": 0}


class Site:
    """The server, its database and what the probes share: the demo request and a token."""

    def __init__(self, server: Server, db: ScratchDatabase, worker: Worker | None = None) -> None:
        self.server, self.db, self.worker = server, db, worker
        self.token = api_token(server.base, OFFICER, PASSWORD)
        self.request_id = db.scalar(
            "SELECT request_id FROM reports_requestrecipient GROUP BY request_id "
            "ORDER BY COUNT(*) DESC, request_id LIMIT 1"
        )
        self.indicator_id = db.scalar(
            "SELECT i.id FROM reports_indicator i JOIN reports_reportrequest r ON r.version_id = i.version_id "
            "WHERE r.id = %s AND i.code = 'initiatives'",
            [self.request_id],
        )
        self.taken: set[int] = set()
        self._lock = threading.Lock()

    def api(self) -> Client:
        return Client(self.server.base, token=self.token)

    def free_units(self, n: int) -> list[int]:
        """n recipients of the request that have no report yet and no probe has used."""
        rows = self.db.query(
            "SELECT rr.unit_id FROM reports_requestrecipient rr WHERE rr.request_id = %s AND NOT EXISTS "
            "(SELECT 1 FROM reports_report r WHERE r.request_id = rr.request_id AND r.unit_id = rr.unit_id) "
            "ORDER BY rr.unit_id",
            [self.request_id],
        )
        with self._lock:
            units = [u for (u,) in rows if u not in self.taken][:n]
            self.taken.update(units)
        if len(units) < n:
            raise RuntimeError(f"only {len(units)} units left without a report")
        return units

    def counts(self, tables: tuple[str, ...]) -> dict[str, int]:
        return {t: self.db.scalar(f"SELECT COUNT(*) FROM {t}") for t in tables}

    def submit(
        self, unit: int, values: dict, *, submit: bool = True, revision: int | None = None
    ) -> Response:
        body = {"request": self.request_id, "unit": unit, "values": values, "submit": submit}
        if revision is not None:
            body["revision"] = revision
        return self.api().request("POST", "/api/reports/", body=body, label=f"POST /api/reports/ unit {unit}")

    def stored_initiatives(self, report_id: int) -> list[int]:
        """The `initiatives` figure of each version of a report, oldest first."""
        rows = self.db.query(
            "SELECT v.number, val.number FROM reports_reportversion v JOIN reports_reportvalue val "
            "ON val.version_id = v.id AND val.indicator_id = %s WHERE v.report_id = %s ORDER BY v.number",
            [self.indicator_id, report_id],
        )
        return [int(n) for _v, n in rows]


# -- 1. submissions for different units -----------------------------------------------------------


def report_submissions(site: Site, *, count: int = 100, invalid_every: int = 5) -> Outcome:
    """`count` units submit at once through the API; every `invalid_every`-th breaks a rule (400)."""
    out = Outcome(f"{count} report submissions for different units (POST /api/reports/)")
    units = site.free_units(count)
    bad = {u for i, u in enumerate(units) if invalid_every and i % invalid_every == invalid_every - 1}
    before = site.counts(REPORT_TABLES)
    started = time.perf_counter()
    answers = burst(
        [lambda u=u: site.submit(u, invalid_figures(u) if u in bad else figures(u)) for u in units]
    )
    out.seconds = time.perf_counter() - started
    out.count(answers)
    rows = site.db.query(
        f"SELECT r.unit_id, r.id, r.status, COUNT(v.id) FROM reports_report r "
        f"LEFT JOIN reports_reportversion v ON v.report_id = r.id WHERE r.request_id = %s "
        f"AND r.unit_id IN ({', '.join(str(u) for u in units)}) GROUP BY r.unit_id, r.id, r.status",
        [site.request_id],
    )
    reports = Counter(unit for unit, *_rest in rows)
    by_unit = {unit: (pk, status, versions) for unit, pk, status, versions in rows}
    saved = 0
    for unit, answer in zip(units, answers, strict=True):
        if reports[unit] > 1:
            out.problems.append(f"unit {unit}: {reports[unit]} reports (doubled)")
        if answer.status == 201:
            saved += 1
            found = by_unit.get(unit)
            if found is None or found[1] != "submitted" or found[2] != 1:
                out.problems.append(f"unit {unit}: answered 201 but stored {found} (lost)")
            elif site.stored_initiatives(found[0]) != [unit]:
                out.problems.append(f"unit {unit}: answered 201 but stored other figures (lost)")
        elif unit in by_unit:
            out.problems.append(
                f"unit {unit}: answered {answer.status} but left report {by_unit[unit]} (orphan)"
            )
        if unit in bad and answer.status != 400:
            out.problems.append(f"unit {unit}: invalid figures answered {answer.status}, not 400")
        if unit not in bad and answer.status != 201 and answer.status < 500 and answer.status:
            out.problems.append(f"unit {unit}: valid figures answered {answer.status}, not 201")
    after = site.counts(REPORT_TABLES)
    per_report = len(figures(0)) + 1  # the computed support_per_person is stored too
    expected = {
        "reports_report": saved,
        "reports_reportversion": saved,
        "reports_reportvalue": saved * per_report,
        "reports_reviewaction": saved,
    }
    for table, delta in expected.items():
        if after[table] - before[table] != delta:
            out.problems.append(f"{table}: {after[table] - before[table]} new rows for {saved} saved reports")
    out.notes.append(
        f"rows added: { {t: after[t] - before[t] for t in REPORT_TABLES} }; {len(bad)} invalid on purpose"
    )
    return out


# -- 2. edits of one report ----------------------------------------------------------------------


def one_report_edits(site: Site, *, count: int = 100) -> Outcome:
    """`count` clients save the same draft at once, then `count` more all sending the revision they
    opened: the first wave must all be kept in turn, the second must have exactly one winner."""
    out = Outcome(f"{count} + {count} edits of one report (POST /api/reports/, without and with revision)")
    (unit,) = site.free_units(1)
    first = site.submit(unit, figures(0), submit=False)
    out.count([first])
    if first.status != 201:
        out.problems.append(f"the draft could not be created: {first.status} {first.brief}")
        return out
    report_id, revision = first.json()["id"], first.json()["revision"]
    started = time.perf_counter()
    wave = burst([lambda k=k: site.submit(unit, figures(1000 + k), submit=False) for k in range(count)])
    out.count(wave)
    kept = [1000 + k for k, a in enumerate(wave) if a.status == 201]
    for k, a in enumerate(wave):
        if a.status != 201 and a.status and a.status < 500:
            out.problems.append(f"edit {k} without revision answered {a.status}: {a.brief}")
    stored = site.stored_initiatives(report_id)
    if stored[0] != 0 or sorted(stored[1:]) != sorted(kept):
        out.problems.append(
            f"wave 1: {len(kept)} answered 201, {len(stored) - 1} versions stored "
            f"(lost: {sorted(set(kept) - set(stored))[:10]}, doubled: {len(stored) - 1 - len(set(stored[1:]))})"
        )
    revision += len(kept)
    wave2 = burst(
        [
            lambda k=k: site.submit(unit, figures(2000 + k), submit=False, revision=revision)
            for k in range(count)
        ]
    )
    out.seconds = time.perf_counter() - started
    out.count(wave2)
    winners = [2000 + k for k, a in enumerate(wave2) if a.status == 201]
    others = Counter(a.status for a in wave2 if a.status != 201)
    if len(winners) != 1 or set(others) - {409}:
        out.problems.append(
            f"wave 2 (same revision): {len(winners)} × 201 and {dict(others)}; want 1 and 409s"
        )
    stored = site.stored_initiatives(report_id)
    if stored[len(kept) + 1 :] != winners:
        out.problems.append(f"wave 2: winners {winners} but versions {stored[len(kept) + 1 :]} stored")
    current = site.db.scalar(
        "SELECT val.number FROM reports_report r JOIN reports_reportvalue val ON val.version_id = "
        "r.current_version_id AND val.indicator_id = %s WHERE r.id = %s",
        [site.indicator_id, report_id],
    )
    if winners and int(current) != winners[0]:
        out.problems.append(f"the report shows {current}, not the last saved {winners[0]}")
    out.notes.append(f"{len(stored)} versions stored for {len(kept) + len(winners) + 1} saves answered 201")
    return out


# -- 3. edits of different members ---------------------------------------------------------------


def members_in_province(db: ScratchDatabase, n: int, *, offset: int = 0) -> list[int]:
    return [
        pk
        for (pk,) in db.query(
            "SELECT m.id FROM org_member m JOIN org_unit u ON u.id = m.unit_id "
            "WHERE u.path LIKE (SELECT path FROM org_unit WHERE code = 'QT') || '%%' AND m.status = 'active' "
            "ORDER BY m.id LIMIT %s OFFSET %s",
            [n, offset],
        )
    ]


def logged_in(site: Site, n: int, out: Outcome) -> list[Client]:
    """n browsers logged in as the officer at the same moment, through the login page."""
    clients = [Client(site.server.base) for _ in range(n)]
    answers = burst([lambda c=c: c.login(OFFICER, PASSWORD) for c in clients])
    out.count(answers)
    for a in answers:
        if a.status != 302:
            out.problems.append(f"login answered {a.status}: {a.brief}")
    return clients


def edit_member(client: Client, member: int, position: str) -> Response:
    """Open a member's edit page and save it with a new position, as an officer does."""
    path = f"/org/members/{member}/edit/"
    page, fields = client.form(path)
    if fields is None:
        page.label = f"GET {path}"
        return page if page.status != 200 else Response(0, error="no edit form", label=f"GET {path}")
    fields["position"] = position
    return client.submit(path, fields, label=f"POST {path}")


def member_edits(site: Site, *, count: int = 100, offset: int = 0, tag: str = "probe") -> Outcome:
    """`count` officers, each logged in on their own browser, save a different member at once."""
    out = Outcome(f"{count} edits of different members (login, edit page, POST the form)")
    members = members_in_province(site.db, count, offset=offset)
    before = site.counts(("org_member", "org_membermove"))
    clients = logged_in(site, count, out)
    positions = {m: f"{tag} {m}" for m in members}
    started = time.perf_counter()
    answers = burst(
        [lambda c=c, m=m: edit_member(c, m, positions[m]) for c, m in zip(clients, members, strict=True)]
    )
    out.seconds = time.perf_counter() - started
    out.count(answers)
    stored = dict(
        site.db.query(f"SELECT id, position FROM org_member WHERE id IN ({', '.join(map(str, members))})")
    )
    audited = Counter(
        int(pk)
        for (pk,) in site.db.query(
            "SELECT e.object_pk FROM auditlog_logentry e JOIN django_content_type ct ON ct.id = e.content_type_id "
            "WHERE ct.app_label = 'org' AND ct.model = 'member' AND CAST(e.changes AS TEXT) LIKE %s",
            [f"%{tag} %"],
        )
    )
    for member, answer in zip(members, answers, strict=True):
        if answer.status == 302:
            if stored.get(member) != positions[member]:
                out.problems.append(f"member {member}: saved (302) but stored {stored.get(member)!r} (lost)")
            if audited[member] != 1:
                out.problems.append(f"member {member}: {audited[member]} audit entries for one save")
        elif answer.status and answer.status < 500:
            out.problems.append(f"member {member}: answered {answer.status}, not 302")
    after = site.counts(("org_member", "org_membermove"))
    if after != before:
        out.problems.append(f"rows changed: {before} -> {after} (orphans)")
    return out


# -- 4. writes during a roster import -----------------------------------------------------------


def roster_csv(db: ScratchDatabase, rows: int, *, seed: int = 11) -> bytes:
    """A roster of `rows` new members with CCCDs no member holds yet."""
    rng = random.Random(seed)
    taken = {c for (c,) in db.query("SELECT cccd FROM org_member WHERE cccd IS NOT NULL")}
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Chức vụ"])
    serial = 900_000
    for i in range(rows):
        female = rng.random() < 0.55
        year = rng.randint(1970, 1999)
        while True:
            cccd = f"096{int(female)}{year % 100:02d}{serial:06d}"
            serial += 1
            if cccd not in taken:
                break
        writer.writerow(
            [
                f"Nguyễn Thị Nhập {i}" if female else f"Trần Văn Nhập {i}",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                "Nữ" if female else "Nam",
                cccd,
                "Đoàn viên",
            ]
        )
    return out.getvalue().encode("utf-8")


def writes_during_import(
    site: Site, *, rows: int = 40_000, writers: int = 12, unit_code: str = "QT.DH"
) -> Outcome:
    """Upload a roster (the worker imports it) and keep `writers` clients saving reports and members
    until the import is over: every write must succeed, and the import too."""
    out = Outcome(f"web writes during a roster import of {rows:,} rows (worker: manage.py db_worker)")
    db = site.db
    data = roster_csv(db, rows)
    # Everyone is logged in and the report's draft exists before the upload: the writes start
    # the moment the job is queued.
    uploader, *clients = logged_in(site, 1 + writers, out)
    members = members_in_province(db, writers * 2, offset=500)
    (report_unit,) = site.free_units(1)
    first = site.submit(report_unit, figures(0), submit=False)
    out.count([first])
    report_id = first.json()["id"] if first.status == 201 else None
    page, fields = uploader.form("/imports/")
    if fields is None:
        out.problems.append(f"no upload form: {page.status} {page.brief}")
        return out
    fields["unit"] = unit_code
    members_before = db.scalar("SELECT COUNT(*) FROM org_member")
    job_max = db.scalar("SELECT COALESCE(MAX(id), 0) FROM imports_importjob")
    answer = uploader.submit("/imports/", fields, files={"file": ("roster.csv", data)}, label="upload")
    out.count([answer])
    job = db.scalar("SELECT MAX(id) FROM imports_importjob")
    if answer.status != 302 or job == job_max:
        out.problems.append(f"the upload answered {answer.status}: {answer.brief}")
        return out

    def status() -> str:
        return db.scalar("SELECT status FROM imports_importjob WHERE id = %s", [job])

    answers: list[Response] = []
    saved_positions: dict[int, set[str]] = {}
    kept_figures: list[int] = []
    lock = threading.Lock()
    done = threading.Event()

    def writer(w: int) -> None:
        n = 0
        while not done.is_set():
            n += 1
            if w % 2:  # a member edit through the page
                member = members[(w * 7 + n) % len(members)]
                position = f"import {w} {n}"
                a = edit_member(clients[w], member, position)
                with lock:
                    answers.append(a)
                    if a.status == 302:
                        saved_positions.setdefault(member, set()).add(position)
            else:  # a new version of one report through the API
                k = 100_000 + w * 1000 + n
                a = site.submit(report_unit, figures(k), submit=False)
                with lock:
                    answers.append(a)
                    if a.status == 201:
                        kept_figures.append(k)

    started = time.perf_counter()
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 300
    first_running = last_running = 0.0  # when the job was first and last seen running
    while time.monotonic() < deadline:
        state = status()
        if state == "running":
            now = time.monotonic()
            first_running, last_running = first_running or now, now
        if state in ("succeeded", "failed"):
            break
        time.sleep(0.1)
    done.set()
    for t in threads:
        t.join()
    out.seconds = time.perf_counter() - started
    out.count(answers)
    state, added, errors, message = db.query(
        "SELECT status, added, error_count, message FROM imports_importjob WHERE id = %s", [job]
    )[0]
    if state != "succeeded" or added != rows:
        out.problems.append(f"the import ended {state} with {added} added, {errors} errors {message!r}")
    # Writes under way while the job ran: the import's write pass must be among that time.
    out.overlapping = sum(
        1
        for a in answers
        if first_running and a.started <= last_running and a.started + a.seconds >= first_running
    )
    members_after = db.scalar("SELECT COUNT(*) FROM org_member")
    if members_after - members_before != (rows if state == "succeeded" else 0):
        out.problems.append(f"{members_after - members_before} members added by an import of {rows}")
    for a in answers:
        if a.status and a.status < 500 and a.status not in (201, 302):
            out.problems.append(f"{a.label}: answered {a.status}")
    if saved_positions:
        ids = ", ".join(map(str, saved_positions))
        stored = dict(db.query(f"SELECT id, position FROM org_member WHERE id IN ({ids})"))
        for member, positions in saved_positions.items():
            # Saves of one member by two writers may commit in either order: one of them is stored.
            if stored.get(member) not in positions:
                out.problems.append(
                    f"member {member}: stored {stored.get(member)!r}, none of its saves (lost)"
                )
    if report_id is not None:
        kept = site.stored_initiatives(report_id)[1:]
        if sorted(kept) != sorted(kept_figures):
            out.problems.append(
                f"report: {len(kept_figures)} saves answered 201, {len(kept)} versions stored"
            )
    slowest = max((a.seconds for a in answers), default=0)
    out.notes.append(
        f"{len(answers)} writes, {out.overlapping} of them while the job was running ({rows:,} rows, "
        f"job {state}); slowest write {slowest:.2f} s"
    )
    return out
