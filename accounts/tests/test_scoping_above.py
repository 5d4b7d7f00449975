from django.db.models import Q

from accounts.scoping import scoped_with_above
from lib.testing import BaseTestCase
from org.models import Unit, UnitStatus


class ScopedWithAboveTests(BaseTestCase):
    """Rows of units above the user's own are visible only when `published` holds."""

    def units(self, user, published):
        qs = scoped_with_above(Unit.objects.all(), user=user, published=published, unit_field="")
        return set(qs.values_list("code", flat=True))

    def test_it_adds_published_rows_of_ancestors_only(self):
        seen = self.units(self.alice, Q(status=UnitStatus.ACTIVE))
        self.assertEqual(seen, {"QT.DH", "QT.DH.001", "QT.DH.002", "QT", "TLD"})

    def test_it_hides_unpublished_rows_above(self):
        seen = self.units(self.alice, Q(pk__in=[]))
        self.assertEqual(seen, {"QT.DH", "QT.DH.001", "QT.DH.002"})

    def test_it_never_reaches_a_sibling_province(self):
        seen = self.units(self.charlie, Q(status=UnitStatus.ACTIVE))
        self.assertNotIn("QT", seen)
        self.assertNotIn("QT.DH", seen)
        self.assertIn("TLD", seen)
