"""The sơ kết paper words every pilot-model status (it keys them by value, not by the model)."""

from django.test import SimpleTestCase

from campaigns.models import PilotModel
from reports.review_paper import PILOT_STATUS


class PilotLabelTests(SimpleTestCase):
    def test_every_status_has_its_paper_wording(self):
        self.assertEqual(sorted(PILOT_STATUS), sorted(PilotModel.Status.values))
