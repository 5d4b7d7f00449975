"""Shared start-up and timing helpers for the benchmark scripts (scripts, not tests).

Each script imports `setup()` first: it puts the repository on sys.path and starts Django on
the database named by DATABASE_URL (default: var/bench.sqlite3, never the demo's database,
since generate.py --reset empties the tables).
"""

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(*, migrate: bool = False) -> None:
    """Start Django (config.settings.local unless DJANGO_SETTINGS_MODULE is set)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    (ROOT / "var").mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def ensure_database() -> None:
    """Create the PostgreSQL database named in DATABASE_URL when it is missing."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    params = dict(
        host=cfg.get("HOST") or None,
        port=cfg.get("PORT") or None,
        user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
            print(f"created database {cfg['NAME']}")


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def best_of(fn: Callable[[], object], *, repeat: int = 5) -> tuple[float, object]:
    """Best wall time in seconds over `repeat` runs, and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def describe_db() -> str:
    from django.db import connection

    settings = connection.settings_dict
    return f"{connection.vendor} {settings.get('NAME')}"


# --- App against floor, alternated -------------------------------------------------------------
#
# Each case pairs the app's code path with its FLOOR: the best hand-written SQL (or request) for
# the same page and the same answer. Both run in one process, on one connection, alternately:
# one untimed warm-up of each, then `rounds` rounds, app first in even rounds and floor first in
# odd ones, so caches, autovacuum and the neighbours' load hit both sides alike. Every run's
# answers are compared (`same`, equality by default); a mismatch fails the bench.


@dataclass
class Case:
    label: str
    app: Callable[[], object]
    floor: Callable[[], object]
    same: Callable[[object, object], bool] = lambda a, b: a == b
    note: str = ""


@dataclass
class Outcome:
    case: Case
    app: list[float] = field(default_factory=list)  # seconds, one per round
    floor: list[float] = field(default_factory=list)
    mismatch: str = ""  # empty when every round gave the same answer on both sides
    answer: object = None  # the app's last answer, for the caller's own figures

    @property
    def ratio_min(self) -> float:
        return min(self.app) / max(min(self.floor), 1e-9)

    @property
    def ratio_median(self) -> float:
        return statistics.median(self.app) / max(statistics.median(self.floor), 1e-9)


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def _short(value: object, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def alternate(cases: Iterable[Case], *, rounds: int = 5, verbose: bool = True) -> list[Outcome]:
    """Run each case's app and floor alternately (see above); one Outcome per case."""
    if rounds < 3:
        raise ValueError("at least 3 rounds")
    outcomes = []
    for case in cases:
        out = Outcome(case)
        if verbose:
            print(f"  {case.label} …", end="", flush=True, file=sys.stderr)
        answers = [case.app(), case.floor()]  # warm-up, untimed
        for r in range(rounds):
            if r % 2 == 0:
                a_s, a = _timed(case.app)
                f_s, f = _timed(case.floor)
            else:
                f_s, f = _timed(case.floor)
                a_s, a = _timed(case.app)
            out.app.append(a_s)
            out.floor.append(f_s)
            answers += [a, f]
        for i in range(0, len(answers), 2):
            if not out.mismatch and not case.same(answers[i], answers[i + 1]):
                out.mismatch = f"app {_short(answers[i])} != floor {_short(answers[i + 1])}"
        out.answer = answers[-2]
        if verbose:
            print(" done", file=sys.stderr)
        outcomes.append(out)
    return outcomes


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def table(outcomes: list[Outcome], *, goal: float | None = None, app_name: str = "app") -> str:
    """The min/median table: app, floor, ratio of mins and of medians, same answer."""
    width = max([len(o.case.label) for o in outcomes] + [4])
    head = (
        f"{'case':<{width}} {app_name + ' min':>10} {app_name + ' med':>10} {'floor min':>10} "
        f"{'floor med':>10} {'min x':>6} {'med x':>6}  same"
    )
    lines = [head, "-" * len(head)]
    for o in outcomes:
        flag = ""
        if goal is not None and o.ratio_min > goal:
            flag = f"  OVER {goal:g}x"
        lines.append(
            f"{o.case.label:<{width}} {ms(min(o.app)):>10} {ms(statistics.median(o.app)):>10} "
            f"{ms(min(o.floor)):>10} {ms(statistics.median(o.floor)):>10} {o.ratio_min:>5.2f}x "
            f"{o.ratio_median:>5.2f}x  {'yes' if not o.mismatch else 'NO'}{flag}"
        )
    lines.append(f"(ms; {len(outcomes[0].app) if outcomes else 0} alternated rounds after one warm-up each)")
    return "\n".join(lines)


def report(outcomes: list[Outcome], *, goal: float | None = None, app_name: str = "app") -> None:
    """Print the table and the notes; exit non-zero when any case's answers differ."""
    print(table(outcomes, goal=goal, app_name=app_name))
    for o in outcomes:
        if o.case.note:
            print(f"  {o.case.label}: {o.case.note}")
    bad = [o for o in outcomes if o.mismatch]
    for o in bad:
        print(f"MISMATCH in {o.case.label}: {o.mismatch}", file=sys.stderr)
    if bad:
        sys.exit(1)
    print("same answers: app == floor in every case and every round")


def sql_rows(sql: str, params=None) -> list[tuple]:
    """Every row of a raw query on Django's connection."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchall()


def fastest(
    candidates: dict[str, Callable[[], object]], *, tries: int = 2
) -> tuple[str, Callable[[], object]]:
    """The quickest of several hand-written floors for one case (best of `tries` each, after
    one warm-up), so a case's floor is the strongest we wrote, whichever query shape wins there."""
    best_name, best_s = "", float("inf")
    for name, fn in candidates.items():
        fn()
        for _ in range(tries):
            s, _result = _timed(fn)
            if s < best_s:
                best_name, best_s = name, s
    return best_name, candidates[best_name]
