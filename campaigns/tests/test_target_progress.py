from campaigns.models import ContestEntry, PilotModel, Registration, Target
from campaigns.selectors.targets import target_progress, target_progress_by_child
from campaigns.tests.factories_targets import TargetTestCase
from lib.testing import make_unit
from org.models import UnitKind, UnitLevel


def by_code(rows):
    return {r.unit.code: (r.met, r.applicable) for r in rows}


class TargetProgressTests(TargetTestCase):
    def test_pilot_models_count_two_of_three_districts(self):
        p = target_progress(target=self.pilot_target, unit=self.quangtri)
        self.assertEqual((p.met, p.applicable), (2, 3))
        self.assertTrue(p.computed)

    def test_planned_pilot_models_do_not_count(self):
        PilotModel.objects.filter(unit=self.vinhlinh).update(status=PilotModel.Status.IN_PROGRESS)
        p = target_progress(target=self.pilot_target, unit=self.quangtri)
        self.assertEqual((p.met, p.applicable), (3, 3))

    def test_a_higher_count_needs_more_models_in_the_subtree(self):
        target = Target.objects.create(
            plan=self.plan,
            text="2 mô hình",
            kind=Target.Kind.PILOT_MODEL,
            count=2,
            unit_level=UnitLevel.UPPER,
        )
        self.assertEqual(target_progress(target=target, unit=self.quangtri).met, 0)
        PilotModel.objects.create(
            plan=self.plan, unit=self.factory, name="Thứ hai", status=PilotModel.Status.RECOGNISED
        )
        self.assertEqual(target_progress(target=target, unit=self.quangtri).met, 1)

    def test_registration_counts_only_submitted(self):
        p = target_progress(target=self.reg_target, unit=self.quangtri)
        self.assertEqual((p.met, p.applicable), (1, 3))
        Registration.objects.filter(unit=self.factory).update(status=Registration.Status.SUBMITTED)
        p = target_progress(target=self.reg_target, unit=self.quangtri)
        self.assertEqual((p.met, p.applicable), (2, 3))

    def test_contest_entries_are_summed_over_the_subtree(self):
        p = target_progress(target=self.contest_target, unit=self.quangtri)
        self.assertEqual((p.met, p.applicable), (1, 3))
        ContestEntry.objects.create(plan=self.plan, unit=self.camlo, title="Thêm")
        self.assertEqual(target_progress(target=self.contest_target, unit=self.quangtri).met, 2)

    def test_a_viewer_below_the_issuer_sees_their_subtree_only(self):
        p = target_progress(target=self.reg_target, unit=self.dongha)
        self.assertEqual((p.met, p.applicable), (1, 2))
        p = target_progress(target=self.pilot_target, unit=self.dongha)
        self.assertEqual((p.met, p.applicable), (1, 1))

    def test_other_targets_are_not_computed(self):
        p = target_progress(target=self.other_target, unit=self.quangtri)
        self.assertFalse(p.computed)

    def test_per_child_drill_down(self):
        rows = target_progress_by_child(target=self.pilot_target, unit=self.quangtri)
        self.assertEqual(by_code(rows), {"QT.DH": (1, 1), "QT.CL": (1, 1), "QT.VL": (0, 1)})
        rows = target_progress_by_child(target=self.reg_target, unit=self.quangtri)
        self.assertEqual(by_code(rows), {"QT.DH": (1, 2), "QT.CL": (0, 1), "QT.VL": (0, 0)})
        rows = target_progress_by_child(target=self.reg_target, unit=self.dongha)
        self.assertEqual(by_code(rows), {"QT.DH.001": (1, 1), "QT.DH.002": (0, 1)})
        rows = target_progress_by_child(target=self.contest_target, unit=self.quangtri)
        self.assertEqual(by_code(rows), {"QT.DH": (1, 1), "QT.CL": (0, 1), "QT.VL": (0, 1)})

    def test_it_uses_the_same_number_of_queries_on_a_bigger_tree(self):
        def run():
            target_progress(target=self.pilot_target, unit=self.quangtri)
            target_progress(target=self.reg_target, unit=self.quangtri)
            target_progress_by_child(target=self.pilot_target, unit=self.quangtri)
            target_progress_by_child(target=self.reg_target, unit=self.quangtri)

        with self.assertNumQueries(6):
            run()
        for i in range(4):
            district = make_unit(self.quangtri, f"QT.N{i}", f"Huyện mới {i}", UnitKind.DISTRICT)
            for j in range(3):
                gr = make_unit(district, f"QT.N{i}.{j}", f"CĐCS {i}.{j}", UnitKind.GRASSROOTS)
                PilotModel.objects.create(
                    plan=self.plan, unit=gr, name="M", status=PilotModel.Status.COMPLETED
                )
                Registration.objects.create(plan=self.plan, unit=gr, status=Registration.Status.SUBMITTED)
        self.quangtri.refresh_from_db()
        with self.assertNumQueries(6):
            run()
        p = target_progress(target=self.pilot_target, unit=self.quangtri)
        self.assertEqual((p.met, p.applicable), (6, 7))
        p = target_progress(target=self.reg_target, unit=self.quangtri)
        self.assertEqual((p.met, p.applicable), (13, 15))

    def test_units_of_one_level_at_different_depths_are_measured(self):
        # A grassroots union directly under the province (depth 3) next to ones under districts.
        direct = make_unit(self.quangtri, "QT.TT", "CĐCS trực thuộc", UnitKind.GRASSROOTS)
        target = Target.objects.create(
            plan=self.plan,
            text="CĐCS có mô hình",
            kind=Target.Kind.PILOT_MODEL,
            count=1,
            unit_level=UnitLevel.GRASSROOTS,
        )
        PilotModel.objects.create(plan=self.plan, unit=direct, name="M", status=PilotModel.Status.COMPLETED)
        self.quangtri.refresh_from_db()
        p = target_progress(target=target, unit=self.quangtri)
        self.assertEqual((p.met, p.applicable), (2, 4))  # school and the direct one
        rows = target_progress_by_child(target=target, unit=self.quangtri)
        self.assertEqual(by_code(rows)["QT.TT"], (1, 1))
        self.assertEqual(by_code(rows)["QT.DH"], (1, 2))
