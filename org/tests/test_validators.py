from django.test import SimpleTestCase

from lib.text import digits
from org.validators import cccd_error


class CccdTests(SimpleTestCase):
    def test_a_well_formed_cccd_passes(self):
        self.assertIsNone(cccd_error("045190000001"))

    def test_wrong_length_or_province_code_fails(self):
        self.assertIsNotNone(cccd_error("04519000001"))
        self.assertIsNotNone(cccd_error("999190000001"))

    def test_non_ascii_digits_are_refused(self):
        self.assertIsNotNone(cccd_error("04519000000²"))
        self.assertIsNotNone(cccd_error("٠٤٥١٩٠٠٠٠٠٠١"))
        self.assertEqual(digits("0 45-1²"), "0451")
