"""Officers using the site at once (locust; run headless by bench/load/run.py, which prepares the
plan and checks the database afterwards).

    LOAD_PLAN=plan.json LOAD_RESULTS=submits.jsonl locust -f bench/load/locustfile.py --headless \\
        --host http://127.0.0.1:8000 --users 200 --spawn-rate 20 --run-time 3m

Three kinds of officer, each logged in through the login page with its own session:
- grassroots officers (most of the users), each at a distinct unit with an open report request:
  the home page, the report form (open, save a draft, submit once), the blank Excel form and then
  the submitted report's Excel file, the report page, "my reports";
- provincial officers (one in ten): the home page, member search in the province, the roll-up
  page of the request and its Excel export, the eligibility list, a decision PDF and a certificate
  PDF when the data has an issued decision;
- national officers (one in twenty): the home page and member search over the whole country.
Any 5xx, connection error, unexpected 4xx or refused form counts as a failure. Every save and
submit the officers saw succeed is written to LOAD_RESULTS (one JSON line each) for the check.
"""

from __future__ import annotations

import json
import os
import random
import re
from urllib.parse import urlencode, urlsplit

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
RESULTS = os.environ.get("LOAD_RESULTS", "")
USERS = int(os.environ.get("LOAD_USERS", "200"))
WAIT = [float(s) for s in os.environ.get("LOAD_WAIT", "2,6").split(",")]  # seconds between clicks
OFFICERS = list(PLAN["officers"])  # taken one per grassroots user, never shared
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')
REPORT_PAGE = re.compile(r"^/reports/(\d+)/$")
FILL_PAGE = re.compile(r"^/reports/(\d+)/fill/$")
TIMEOUT = 120


def figures(unit: int, step: int) -> dict[str, str]:
    """Valid figures for the default sơ kết form (no figure is bound by the member count)."""
    return {
        "f-units_registered": "1",
        "f-members_registered": "0",
        "f-participation_rate": str(60 + step),
        "f-review_held": "co",
        "f-pilot_models": "0",
        "f-good_practices": "1",
        "f-initiatives": str(unit % 1000),
        "f-initiative_value": "0",
        "f-contest_entries": str(step),
        "f-helped_members": "0",
        "f-helped_women": "0",
        "f-support_amount": "0",
        "f-exemplary_families": "0",
        "f-assessment": f"Kiểm thử tải, đơn vị {unit}, lần {step}",
    }


def record(kind: str, **data) -> None:
    if RESULTS:
        with open(RESULTS, "a", encoding="utf-8") as out:
            out.write(json.dumps({"kind": kind, **data}) + "\n")


class Officer(HttpUser):
    abstract = True
    wait_time = between(*WAIT)  # an officer reads a page before the next click
    account: dict

    def on_start(self) -> None:
        # One connection per request, as a reverse proxy talks to gunicorn (nginx's default: HTTP/1.0
        # upstream). Kept-alive connections straight to gunicorn race its 2 s keep-alive timeout:
        # a request sent as it closes an idle connection is reset before the app sees it.
        self.client.headers["Connection"] = "close"
        self.login()

    def get(self, path: str, name: str, *, expect: tuple[int, ...] = (200,), params: dict | None = None):
        url = path + (f"?{urlencode(params)}" if params else "")
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True, timeout=TIMEOUT
        ) as resp:
            if resp.status_code not in expect:
                resp.failure(f"{resp.status_code} for {url}: {resp.error or ''}")
            return resp

    def post(self, path: str, name: str, fields: dict, referer: str):
        with self.client.post(
            path,
            data=fields,
            name=name,
            allow_redirects=False,
            catch_response=True,
            timeout=TIMEOUT,
            headers={"Referer": self.host + referer},
        ) as resp:
            if resp.status_code != 302:
                resp.failure(
                    f"{resp.status_code} for POST {path} (302 expected): {resp.error or resp.text[:200]}"
                )
            return resp

    def login(self) -> None:
        page = self.get("/accounts/login/", "login page")
        token = CSRF.search(page.text or "")
        fields = {**self.account, "csrfmiddlewaretoken": token.group(1) if token else ""}
        resp = self.post("/accounts/login/", "login", fields, "/accounts/login/")
        if resp.status_code != 302:
            self.stop()

    @task(2)
    def home(self) -> None:
        self.get("/", "home")


class GrassrootsOfficer(Officer):
    weight = 100

    def on_start(self) -> None:
        if not OFFICERS:  # more grassroots users than prepared units: the runner prevents it
            raise RuntimeError("no grassroots officer left in the plan")
        self.account = OFFICERS.pop(0)
        self.unit = self.account.pop("unit")
        self.report: int | None = None
        self.step = 0  # 0 nothing yet, 1 a draft saved, 2 submitted
        super().on_start()

    @property
    def fill_url(self) -> str:
        return f"/reports/requests/{PLAN['request']}/units/{self.unit}/fill/"

    def save(self, *, submit: bool) -> None:
        page = self.get(self.fill_url, "report form", expect=(200, 302))
        if page.status_code == 302:  # a report exists: its own fill page
            page = self.get(urlsplit(page.headers["Location"]).path, "report form")
        if page.status_code != 200:
            return
        csrf, rev = CSRF.search(page.text), REVISION.search(page.text)
        fields = {**figures(self.unit, self.step), "revision": rev.group(1) if rev else ""}
        fields["csrfmiddlewaretoken"] = csrf.group(1) if csrf else ""
        fields["submit" if submit else "save"] = "1"
        resp = self.post(
            self.fill_url, "report submit" if submit else "report save draft", fields, self.fill_url
        )
        where = urlsplit(resp.headers.get("Location", "")).path
        done = REPORT_PAGE.match(where) if submit else FILL_PAGE.match(where)
        if resp.status_code == 302 and done:
            self.report = int(done.group(1))
            self.step += 1
            record("submit" if submit else "draft", unit=self.unit, report=self.report)
        elif resp.status_code == 302:
            resp.failure(f"the save went to {where}")  # e.g. back to the login page

    @task(6)
    def fill(self) -> None:
        if self.step < 2 and random.random() < 0.5:  # noqa: S311 (load mix, not security)
            self.save(submit=self.step == 1)
        elif self.report:
            self.get(f"/reports/{self.report}/", "report page")
        else:
            self.get(self.fill_url, "report form", expect=(200, 302))

    @task(1)
    def my_reports(self) -> None:
        self.get("/reports/mine/", "my reports")

    @task(1)
    def excel(self) -> None:
        if self.report and self.step == 2:
            self.get(f"/reports/{self.report}/xlsx/", "download report xlsx")
        else:
            self.get(
                f"/reports/requests/{PLAN['request']}/units/{self.unit}/xlsx/", "download blank form xlsx"
            )


class ProvincialOfficer(Officer):
    fixed_count = max(1, USERS // 10)

    def on_start(self) -> None:
        self.account = dict(PLAN["province_officer"])
        super().on_start()

    @task(3)
    def search(self) -> None:
        q = random.choice(PLAN["searches"])  # noqa: S311
        self.get("/org/members/", "member search, province", params={"q": q, "unit": PLAN["province"]})

    @task(2)
    def rollup(self) -> None:
        self.get(f"/reports/requests/{PLAN['request']}/rollup/", "roll-up")

    @task(1)
    def rollup_excel(self) -> None:
        self.get(f"/reports/requests/{PLAN['request']}/review-data.xlsx", "download roll-up xlsx")

    @task(2)
    def eligibility(self) -> None:
        if PLAN["award"]:
            params = {"award": PLAN["award"], "unit": PLAN["province"], "year": PLAN["year"]}
            self.get("/awards/eligible/", "eligibility list", params=params)

    @task(1)
    def decision_pdf(self) -> None:
        if PLAN["decision"]:
            self.get(f"/awards/decisions/{PLAN['decision']}/decision.pdf", "download decision pdf")

    @task(1)
    def certificate_pdf(self) -> None:
        if PLAN["certificate"]:
            self.get(f"/awards/certificates/record/{PLAN['certificate']}/pdf/", "download certificate pdf")


class NationalOfficer(Officer):
    fixed_count = max(1, USERS // 20)

    def on_start(self) -> None:
        self.account = dict(PLAN["national_officer"])
        super().on_start()

    @task(4)
    def search(self) -> None:
        q = random.choice(PLAN["searches"])  # noqa: S311
        self.get("/org/members/", "member search, national", params={"q": q})


@events.test_stop.add_listener
def _left(**_kwargs) -> None:
    record("end", officers_left=len(OFFICERS))
