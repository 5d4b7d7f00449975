"""report_save locks the report row only. A FOR UPDATE over its join (request, form version, unit)
would also lock the request row, so every unit's save on one request would queue behind the
previous one: the load test saw 20+ sessions waiting on that one tuple (bench/README.md)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib.testing import require_postgresql
from reports.services.reports import report_get_or_create, report_save
from reports.tests.factories_excel import DongHaRequestTestCase
from reports.tests.test_excel_roundtrip import WEB_RAW


class ReportSaveLockTests(DongHaRequestTestCase):
    def test_save_locks_only_the_report_row(self):
        require_postgresql("row locks (FOR UPDATE) exist only on PostgreSQL")
        report = report_get_or_create(request=self.req, unit=self.school)
        with CaptureQueriesContext(connection) as queries:
            report_save(report=report, raw=WEB_RAW, by=self.alice)
        locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
        self.assertTrue(locking, "report_save took no row lock")
        report_lock = [sql for sql in locking if 'FROM "reports_report"' in sql]
        self.assertTrue(report_lock, locking)
        for sql in report_lock:
            self.assertIn('FOR UPDATE OF "reports_report"', sql)
