"""`lib.errors.flash_form_errors`: an invalid POST form shown as notices on the page redirected to."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory, SimpleTestCase

from lib.errors import flash_form_errors


class TwoFieldForm(forms.Form):
    name = forms.CharField()
    year = forms.IntegerField()


class FlashFormErrorsTests(SimpleTestCase):
    def test_every_error_is_flashed_in_field_order(self):
        request = RequestFactory().post("/")
        request.session = {}
        request._messages = FallbackStorage(request)
        form = TwoFieldForm({"year": "x"})
        self.assertFalse(form.is_valid())
        flash_form_errors(request, form)
        self.assertEqual(
            [str(m) for m in get_messages(request)],
            [str(e) for errors in form.errors.values() for e in errors],
        )
        self.assertEqual(len(list(get_messages(request))), 2)
