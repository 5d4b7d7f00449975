"""The load test's database check (bench/load/run.py check_submissions) finds planted faults: a
submission seen but not stored (lost), two reports or two submit actions for one (doubled), a
report submitted that no officer saw, a draft not kept. Pure: a fake database, no server."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import check_submissions  # noqa: E402


class FakeDb:
    def __init__(self, rows):
        self.rows = rows  # (unit, report id, status, versions, submit actions)

    def query(self, sql, params):
        assert params == [7]
        return self.rows


def results(tmp_path, *events):
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    return path


SEEN = [
    {"kind": "draft", "unit": 1, "report": 10},
    {"kind": "submit", "unit": 1, "report": 10},
    {"kind": "draft", "unit": 2, "report": 20},
]


def test_a_clean_run_has_no_problem(tmp_path):
    rows = [(1, 10, "submitted", 2, 1), (2, 20, "draft", 1, 0)]
    problems, summary = check_submissions(FakeDb(rows), 7, results(tmp_path, *SEEN))
    assert problems == []
    assert summary.startswith("submissions: 1 seen succeed, 1 submitted reports stored")


def test_a_lost_submission(tmp_path):
    rows = [(1, 10, "draft", 1, 0), (2, 20, "draft", 1, 0)]
    problems, _ = check_submissions(FakeDb(rows), 7, results(tmp_path, *SEEN))
    assert any("(lost)" in p for p in problems), problems
    problems, _ = check_submissions(FakeDb(rows[1:]), 7, results(tmp_path, *SEEN))
    assert any("no report stored (lost)" in p for p in problems), problems


def test_a_doubled_submission(tmp_path):
    rows = [(1, 10, "submitted", 2, 2), (2, 20, "draft", 1, 0)]
    problems, _ = check_submissions(FakeDb(rows), 7, results(tmp_path, *SEEN))
    assert problems == ["unit 1: 2 submit actions for one submission"]
    rows = [(1, 10, "submitted", 2, 1), (1, 11, "submitted", 1, 1), (2, 20, "draft", 1, 0)]
    problems, _ = check_submissions(FakeDb(rows), 7, results(tmp_path, *SEEN))
    assert any("2 reports for one request (doubled)" in p for p in problems), problems


def test_a_submission_nobody_saw_and_a_lost_draft(tmp_path):
    rows = [(1, 10, "submitted", 2, 1), (2, 20, "submitted", 2, 1)]
    problems, _ = check_submissions(FakeDb(rows), 7, results(tmp_path, *SEEN))
    assert any("no officer saw it submitted" in p for p in problems), problems
    rows = [(1, 10, "submitted", 1, 1), (2, 20, "draft", 1, 0)]
    problems, _ = check_submissions(FakeDb(rows), 7, results(tmp_path, *SEEN))
    assert problems == ["unit 1: 1 versions for 1 drafts + 1 submit seen"]
