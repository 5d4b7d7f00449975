"""Time and memory of the two zip bombs of issue 11, before and after the upload gate and sandbox.

    .venv/bin/python bench/hostile_bench.py [--cap 300]

Builds var/bench/docx_bomb.docx (a 95 MB document.xml in a ~0.4 MB .docx) and
var/bench/xlsx_bomb.xlsx (1 GB of sheet XML in a ~4 MB .xlsx) with lib/tests/hostile_files.py,
then runs each of these in a fresh subprocess and prints wall time, CPU time and peak memory
(the process's own and, separately, its sandbox child's):

  before   what reading the upload cost before: python-docx / openpyxl in the process itself,
           no gate, no limits, openpyxl without defusedxml (the plan was read in the web
           request; the roster in the worker, which also validated and wrote every row, so this
           is a lower bound). Stopped after --cap seconds.
  gate     lib.uploads.check_path: all the web request does now before refusing the file.
  sandbox  the worker's reader as if the gate had let the file through: lib.sandbox with the
           default limits (settings.UPLOAD_SANDBOX).
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, setup  # noqa: E402

OUT_DIR = ROOT / "var" / "bench"
FILES = {"docx": ("docx_bomb.docx", "plan"), "xlsx": ("xlsx_bomb.xlsx", "sheet")}


def build() -> None:
    from lib.tests import hostile_files

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for kind, (name, _gate) in FILES.items():
        path = OUT_DIR / name
        if not path.exists():
            path.write_bytes(hostile_files.docx_bomb() if kind == "docx" else hostile_files.xlsx_bomb())


def child(mode: str, kind: str) -> None:
    """One measured run; prints a JSON line (also when stopped by the cap: SIGTERM)."""
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(3))
    setup()
    name, gate_kind = FILES[kind]
    path = OUT_DIR / name
    outcome = "finished"
    start, cpu = time.monotonic(), time.process_time()
    try:
        if mode == "before":
            outcome = _before(kind, path)
        elif mode == "gate":
            from lib import uploads

            try:
                uploads.check_path(path, kind=gate_kind)
            except uploads.UploadRefused as exc:
                outcome = f"refused: {exc.reason}"
        else:
            outcome = _sandbox(kind, path)
    except SystemExit:
        outcome = "stopped by the cap"
    finally:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(
            json.dumps(
                {
                    "wall_s": round(time.monotonic() - start, 1),
                    "cpu_s": round(time.process_time() - cpu + kids.ru_utime + kids.ru_stime, 1),
                    "rss_mb": own.ru_maxrss // 1024,
                    "child_rss_mb": kids.ru_maxrss // 1024,
                    "outcome": outcome,
                }
            ),
            flush=True,
        )


def _before(kind: str, path: Path) -> str:
    from imports.plans.extract import PlanFileError
    from imports.plans.services import _read_in_sandbox
    from lib.tabular.readers import ImportFileError, read_rows

    try:
        if kind == "docx":
            _read_in_sandbox(path.read_bytes(), path.name, None)  # extract + parse, in this process
            return "read"
        with read_rows(path, path.name) as source:
            rows = sum(1 for _ in source.rows)
        return f"read {rows} rows"
    except (PlanFileError, ImportFileError) as exc:
        return f"error: {exc}"


def _sandbox(kind: str, path: Path) -> str:
    from django.conf import settings

    from imports.plans.extract import PlanFileError
    from imports.plans.services import _read_in_sandbox
    from lib import sandbox
    from lib.tabular.readers import ImportFileError, _rows_for_sandbox

    try:
        if kind == "docx":
            sandbox.call(_read_in_sandbox, path.read_bytes(), path.name, None, expected=(PlanFileError,))
            return "read"
        with sandbox.stream(
            _rows_for_sandbox, path, path.name, settings.IMPORT_MAX_ROWS, expected=(ImportFileError,)
        ) as items:
            rows = sum(1 for _ in items)
        return f"read {rows} rows"
    except sandbox.SandboxLimit as exc:
        return f"stopped: {exc.limit} limit"
    except (sandbox.SandboxError, PlanFileError, ImportFileError) as exc:
        return f"error: {str(exc)[:80]}"


def measure(mode: str, kind: str, cap: int) -> dict:
    """One run in a fresh process; only the unlimited "before" run is stopped by `cap` (the
    sandbox stops itself)."""
    env = dict(os.environ)
    if mode == "before":
        env["OPENPYXL_DEFUSEDXML"] = "False"  # as openpyxl parsed before defusedxml was installed
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", mode, "--kind", kind],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        out, _err = proc.communicate(timeout=cap if mode == "before" else None)
    except subprocess.TimeoutExpired:
        proc.terminate()
        out, _err = proc.communicate()
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cap", type=int, default=300, help="seconds after which a run is stopped")
    parser.add_argument("--child", choices=["before", "gate", "sandbox"], help=argparse.SUPPRESS)
    parser.add_argument("--kind", choices=list(FILES), help=argparse.SUPPRESS)
    parser.add_argument("--only", default="docx,xlsx", help="which bombs (docx,xlsx)")
    parser.add_argument("--runs", default="before,gate,sandbox", help="which runs")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.kind)
        return
    setup()
    build()
    print(f"{'file':<6} {'run':<8} {'wall s':>7} {'cpu s':>7} {'RSS MB':>7} {'child MB':>9}  outcome")
    for kind in args.only.split(","):
        size = (OUT_DIR / FILES[kind][0]).stat().st_size
        for mode in args.runs.split(","):
            r = measure(mode, kind, args.cap)
            print(
                f"{kind:<6} {mode:<8} {r['wall_s']:>7} {r['cpu_s']:>7} {r['rss_mb']:>7} {r['child_rss_mb']:>9}  "
                f"{r['outcome']}  ({size / 1e6:.1f} MB file)",
                flush=True,
            )


if __name__ == "__main__":
    main()
