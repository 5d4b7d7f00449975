"""A published ranking shows what it printed the day it was published (issue 11, item 2): after a
unit, the cluster, the table and its criteria are renamed or edited, the ranking page, its .xlsx
(byte for byte, with its SHA-256) and /api/rankings/ are unchanged. Frozen rows and triggers:
lib/tests/test_immutability.py."""

from __future__ import annotations

import hashlib
import importlib
import io
from decimal import Decimal
from unittest import mock

from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from api.tests.base import ApiTestCase
from campaigns.models import Cluster
from lib.testing import EnglishMixin
from org.models import Unit
from org.services.units import unit_update
from reports.models import (
    Criterion,
    RankingFile,
    RankingPublication,
    RankingSnapshot,
    RankingSnapshotRow,
    ScoringTable,
)
from reports.services import scoring as services
from reports.tests.factories_scoring import YEAR, ScoringTestCase, make_grassroots

NEW_SCHOOL = "Công đoàn Trường Đổi Tên"
NEW_CLUSTER = "Cụm Đổi Tên"
NEW_TABLE = "Bảng Đổi Tên"
NEW_LABEL = "Tiêu chí Đổi Tên"


class RankingSnapshotTests(EnglishMixin, ScoringTestCase, ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.late = make_grassroots(parent=cls.dongha, code="QT.DH.009", name="Công đoàn Nộp Muộn")
        cls.cluster.memberships.create(unit=cls.late)

    def setUp(self):
        self.sheet_for(self.school, values={"pilot_models": 1}, manual=50)  # 60, rank 1
        self.sheet_for(self.factory, values={}, manual=55)  # 55, rank 2
        self.sheet_for(self.late, manual=58, submit=False)  # never submitted: not ranked

    def publish(self) -> RankingPublication:
        return services.ranking_publish(
            table=self.table, cluster=self.cluster, year=YEAR, decision_number="12/QĐ-LĐLĐ", by=self.alice
        )

    def change_everything(self) -> None:
        """Rename the unit, the cluster, the table and a criterion; change a maximum, the tie-break
        rule and a member count (raw updates: the services refuse to touch a published table)."""
        unit_update(unit=self.school, updated_by=self.alice, name=NEW_SCHOOL)
        Cluster.objects.filter(pk=self.cluster.pk).update(name=NEW_CLUSTER)
        ScoringTable.objects.filter(pk=self.table.pk).update(
            name=NEW_TABLE, version=7, tie_break=ScoringTable.TieBreak.MORE_MEMBERS
        )
        Criterion.objects.filter(table=self.table, code="c4").update(label=NEW_LABEL, max_points=100)
        Unit.objects.filter(pk=self.factory.pk).update(member_count=999)

    def page(self) -> tuple[str, list]:
        self.login(self.alice)
        r = self.client.get(reverse("reports:ranking", args=[self.cluster.pk]), {"year": YEAR})
        self.assertEqual(r.status_code, 200)
        rows = [(x.rank, x.unit_name, x.points, x.total, x.grade, x.flag) for x in r.context["rows"]]
        return r.content.decode(), rows

    def download(self) -> bytes:
        self.login(self.alice)
        r = self.client.get(reverse("reports:ranking-export", args=[self.cluster.pk]), {"year": YEAR})
        self.assertEqual(r.status_code, 200)
        self.response = r
        return r.content

    def api(self) -> list:
        self.auth(self.alice)
        return self.get_json("/api/rankings/", {"cluster": self.cluster.pk, "year": YEAR})

    def test_the_page_the_download_and_the_api_are_unchanged_after_renames_and_edits(self):
        publication = self.publish()
        _html, rows_before = self.page()
        xlsx_before, api_before = self.download(), self.api()
        self.change_everything()
        html, rows = self.page()
        self.assertEqual(rows, rows_before)
        self.assertEqual([r[:2] for r in rows], [(1, self.school.name), (2, self.factory.name)])
        self.assertIn(f"{self.table.name} v1", html)
        self.assertIn("Điểm cao hơn ở các tiêu chí theo thứ tự", html)  # the tie-break rule of the day
        self.assertIn('title="Tiêu chí c4"', html)
        for new in (NEW_SCHOOL, NEW_TABLE, NEW_LABEL, "/ 100<"):
            self.assertNotIn(new, html)
        xlsx = self.download()
        self.assertEqual(xlsx, xlsx_before)
        stored = RankingFile.objects.get(publication=publication)
        self.assertEqual((hashlib.sha256(xlsx).hexdigest(), len(xlsx)), (stored.sha256, stored.size))
        self.assertEqual(self.response.headers["Repr-Digest"], services.repr_digest(stored))
        self.assertEqual(self.api(), api_before)
        self.assertEqual(
            [(x["unit_name"], x["rank"], x["total"], x["status"]) for x in api_before],
            [(self.school.name, 1, 60.0, "frozen"), (self.factory.name, 2, 55.0, "frozen")],
        )

    def test_the_stored_xlsx_prints_the_names_of_the_day(self):
        self.publish()
        self.change_everything()
        ws = load_workbook(io.BytesIO(self.download())).active
        self.assertEqual(ws["A1"].value, f"Bảng xếp hạng Cụm thi đua số 1 năm {YEAR}")
        self.assertEqual(ws["A2"].value, f"{self.table.name} (phiên bản 1)")
        self.assertEqual(ws["F5"].value, "c4. Tiêu chí c4 (tối đa 60.00)")
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
        self.assertEqual(
            [(r[0], r[1], r[6], r[7]) for r in rows],
            [
                (1, self.school.name, 60, "Hoàn thành nhiệm vụ"),
                (2, self.factory.name, 55, "Hoàn thành nhiệm vụ"),
            ],
        )

    def test_a_unit_that_never_submitted_is_not_listed_after_publication(self):
        self.publish()
        _html, rows = self.page()
        self.assertNotIn(self.late.name, [r[1] for r in rows])
        self.assertNotIn(self.late.pk, [x["unit"] for x in self.api()])

    def test_the_published_page_reads_a_fixed_number_of_queries(self):
        self.publish()
        self.page()
        for code in ("QT.DH.010", "QT.DH.011"):
            self.cluster.memberships.create(unit=make_grassroots(parent=self.dongha, code=code, name=code))
        publication = RankingPublication.objects.get()
        with self.assertNumQueries(2):  # the snapshot, its rows
            printed = services.printed_ranking(publication=publication)
            [r.unit_name for r in printed.rows]


class BackfilledSnapshotTests(EnglishMixin, ScoringTestCase, ApiTestCase):
    """A ranking published before snapshots were kept gets one from migration 0004 (its frozen
    sheets' stored ranks and totals) and its .xlsx at the first download, kept from then on."""

    def test_the_migration_fills_the_snapshot_and_the_file_is_made_once(self):
        self.sheet_for(self.school, values={"pilot_models": 1}, manual=50)
        self.sheet_for(self.factory, values={}, manual=55)
        ranking = "reports.services.scoring.ranking"
        with (
            mock.patch(f"{ranking}.ranking_snapshot_store"),
            mock.patch(f"{ranking}.ranking_file_store"),
        ):
            publication = services.ranking_publish(
                table=self.table, cluster=self.cluster, year=YEAR, decision_number="7/QĐ", by=self.alice
            )
        self.assertFalse(RankingSnapshot.objects.exists())
        migration = importlib.import_module("reports.migrations.0004_ranking_snapshot")
        migration.fill_snapshots(apps, None)
        snapshot = RankingSnapshot.objects.get(publication=publication)
        self.assertEqual((snapshot.cluster_name, snapshot.table_name), (self.cluster.name, self.table.name))
        self.assertEqual([c["max_points"] for c in snapshot.criteria], ["10.00", "20.00", "10.00", "60.00"])
        rows = list(RankingSnapshotRow.objects.filter(publication=publication))
        self.assertEqual(
            [(r.rank, r.unit_name, r.total, r.points, r.grade, r.flag) for r in rows],
            [
                (
                    1,
                    self.school.name,
                    Decimal("60.00"),
                    ["10.00", "0.00", "0.00", "50.00"],
                    "Tasks completed",
                    True,
                ),
                (
                    2,
                    self.factory.name,
                    Decimal("55.00"),
                    ["0.00", "0.00", "0.00", "55.00"],
                    "Tasks completed",
                    False,
                ),
            ],
        )
        self.assertFalse(RankingFile.objects.exists())
        first = self.client_download()
        unit_update(unit=self.school, updated_by=self.alice, name=NEW_SCHOOL)
        self.assertEqual(self.client_download(), first)
        self.assertEqual(RankingFile.objects.get().sha256, hashlib.sha256(first).hexdigest())

    def test_a_stored_file_that_fails_its_checksum_is_refused(self):
        self.sheet_for(self.school, manual=50)
        with mock.patch("reports.services.scoring.ranking.ranking_file_store"):
            publication = self.publish_unfiled()
        RankingFile.objects.create(
            publication=publication, format="xlsx", content=b"PK forged", sha256="0" * 64, size=9
        )
        with self.assertRaises(services.TamperedFile), self.assertLogs("reports", "ERROR"):
            services.ranking_file_get(publication=publication)

    def publish_unfiled(self) -> RankingPublication:
        return services.ranking_publish(
            table=self.table, cluster=self.cluster, year=YEAR, decision_number="8/QĐ", by=self.alice
        )

    def client_download(self) -> bytes:
        self.login(self.alice)
        r = self.client.get(reverse("reports:ranking-export", args=[self.cluster.pk]), {"year": YEAR})
        self.assertEqual(r.status_code, 200)
        return r.content
