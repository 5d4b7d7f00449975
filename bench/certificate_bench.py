"""Certificates of one decision as a batch: time and peak memory of the real batch path.

    .venv/bin/python bench/certificate_bench.py                      # 1,000 merged (the goal)
    .venv/bin/python bench/certificate_bench.py --sizes 100,1000,3000 --format zip

For each size N, in a fresh subprocess (so each peak RSS is that run's own): build an issued
decision with N recipients (a throwaway unit tree, rolled back afterwards), then run
`awards.services.certificate_batches.batch_run` on it exactly as the background task does:
full landscape certificates with the decorative border, fonts embedded and a QR code each,
written page by page into one merged PDF (or a zip of one PDF each) in a temporary MEDIA_ROOT.
Prints the wall time, pages per second, the file size and the peak RSS before and after the
run. Goal: 1,000 certificates under 60 s on 2 cores; memory flat as N grows.
"""

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import describe_db, ensure_database, setup  # noqa: E402

GOAL_SECONDS = 60
NAMES = [
    "Nguyễn Thị Thu Hà",
    "Trần Văn Đức",
    "Lê Thị Hồng Nhung",
    "Phạm Quốc Việt",
    "Hoàng Thị Mỹ Duyên",
    "Đặng Văn Đông",
    "Võ Thị Ngọc Ánh",
    "Bùi Xuân Trường",
]


class Rollback(Exception):
    pass


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child(size: int, fmt: str) -> dict:
    setup()
    import datetime
    import os

    from django.conf import settings
    from django.db import transaction

    from awards.models import CertificateBatch
    from awards.services.certificate_batches import batch_run
    from awards.services.certificates import register_fonts
    from awards.tests.factories_certificates import issued_decision
    from org.models import UnitKind
    from org.services.units import unit_create

    media = tempfile.mkdtemp(prefix="thidua-cert-bench-")
    settings.MEDIA_ROOT = media
    register_fonts()  # loaded once per worker process in real use too
    out: dict = {}
    try:
        with transaction.atomic():
            tag = f"BENCH-CERT-{os.getpid()}"
            d = datetime.date(2020, 1, 1)
            province = unit_create(
                parent=None,
                code=tag,
                name="Liên đoàn Lao động tỉnh Thử Nghiệm",
                kind=UnitKind.PROVINCE,
                established_on=d,
            )
            school = unit_create(
                parent=province,
                code=f"{tag}.1",
                name="Công đoàn Trường THPT Nguyễn Du",
                kind=UnitKind.GRASSROOTS,
                established_on=d,
            )
            persons = [(f"{NAMES[i % len(NAMES)]} {i + 1}", school) for i in range(size)]
            decision = issued_decision(
                unit=province,
                award_code="bang-khen-ldld-tinh",
                persons=persons,
                position_title="Giáo viên",
                bulk=True,
            )
            batch = CertificateBatch.objects.create(decision=decision, unit=province, total=size, format=fmt)
            before = peak_mb()
            started = time.perf_counter()
            batch_run(batch=batch, base_url="https://thidua.example.vn")
            seconds = time.perf_counter() - started
            out = {
                "status": batch.status,
                "error": batch.error,
                "done": batch.done,
                "seconds": seconds,
                "bytes": Path(batch.file.path).stat().st_size if batch.file else 0,
                "rss_before": before,
                "rss_peak": peak_mb(),
            }
            raise Rollback
    except Rollback:
        pass
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000", help="comma-separated numbers of certificates")
    parser.add_argument("--format", choices=["pdf", "zip"], default="pdf")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.format)))
        return
    ensure_database()
    setup(migrate=True)
    print(f"database: {describe_db()}; format: {'merged PDF' if args.format == 'pdf' else 'zip of PDFs'}")
    print(
        f"{'certificates':>12} {'seconds':>8} {'pages/s':>8} {'file MB':>8} {'RSS before':>11} {'peak RSS':>9}"
    )
    ok = True
    for size in [int(s) for s in args.sizes.split(",")]:
        run = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--format", args.format],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(run.stdout.strip().splitlines()[-1])
        if r["status"] != "done" or r["done"] != size:
            print(f"{size:>12} FAILED: {r['status']} {r['error']}")
            ok = False
            continue
        print(
            f"{size:>12,} {r['seconds']:>8.1f} {size / r['seconds']:>8.0f} {r['bytes'] / 1e6:>8.1f}"
            f" {r['rss_before']:>8.0f} MB {r['rss_peak']:>6.0f} MB"
        )
        if size >= 1000:
            per_1000 = r["seconds"] * 1000 / size
            verdict = "OK" if per_1000 < GOAL_SECONDS else "SLOW"
            print(f"{'':>12} {per_1000:.1f} s per 1,000 (goal < {GOAL_SECONDS} s) {verdict}")
            ok = ok and verdict == "OK"
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
