"""`manage.py backup` of SQLite while another connection keeps writing: the site and the worker
are not stopped for a backup, so the copy must be one consistent moment (the online backup API
in one step), the manifest must count that very copy, and the writer must never fail."""

import json
import os
import sqlite3
import threading
import time

import pytest

from lib.tests.backup_support import Site

pytestmark = pytest.mark.xdist_group("backup")


def _wait_for(predicate, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "the writer stopped making progress"
        time.sleep(0.01)


def test_backup_taken_while_another_connection_writes_is_consistent(tmp_path):
    db = tmp_path / "live.sqlite3"
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.executescript(
        "CREATE TABLE ledger_debit (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);"
        "CREATE TABLE ledger_credit (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);"
        "CREATE TABLE filler (data BLOB);"
    )
    # ~40 MB, so that copying takes a while and commits land while it runs.
    con.executemany("INSERT INTO filler VALUES (?)", ((os.urandom(4096),) for _ in range(10_000)))
    con.commit()
    con.close()

    stop, errors, committed = threading.Event(), [], [0]

    def write() -> None:
        """Each transaction books one debit and one credit: a consistent copy has as many of each."""
        w = sqlite3.connect(db, timeout=20, isolation_level=None)
        # Commits stay in the -wal file (as they do between two checkpoints), so a copy of the
        # database file alone would miss them.
        w.execute("PRAGMA wal_autocheckpoint=0")
        n = 0
        while not stop.is_set():
            n += 1
            try:
                w.execute("BEGIN IMMEDIATE")
                w.execute("INSERT INTO ledger_debit (amount) VALUES (?)", (n,))
                w.execute("INSERT INTO ledger_credit (amount) VALUES (?)", (n,))
                w.execute("COMMIT")
            except sqlite3.Error as e:
                errors.append(e)
                return
            committed[0] = n
        w.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        _wait_for(lambda: committed[0] >= 200)
        before = committed[0]
        proc = Site("sqlite", str(db), tmp_path / "media").manage("backup", str(tmp_path / "backup"))
        after_backup = committed[0]
        _wait_for(lambda: committed[0] >= after_backup + 50)
    finally:
        stop.set()
        writer.join()

    assert proc.returncode == 0, proc.stderr
    assert errors == []
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    copy = sqlite3.connect(f"file:{tmp_path / 'backup' / 'database.sqlite3'}?mode=ro", uri=True)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        debits, debit_sum = copy.execute("SELECT COUNT(*), SUM(amount) FROM ledger_debit").fetchone()
        credits, credit_sum = copy.execute("SELECT COUNT(*), SUM(amount) FROM ledger_credit").fetchone()
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    finally:
        copy.close()
    assert (debits, debit_sum) == (credits, credit_sum)
    # The copy holds everything committed before the backup started (the WAL included), not
    # what came after it, and the manifest counts the copy itself, not the live database.
    assert before <= debits < committed[0]
    assert manifest["tables"] == {"filler": 10_000, "ledger_credit": debits, "ledger_debit": debits}
    assert not list((tmp_path / "backup").glob("*-wal"))
