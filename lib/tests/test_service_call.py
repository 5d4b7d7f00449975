"""`lib.errors.service_call`: a service's refusal shown on the page or the form, never a 500."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory, SimpleTestCase

from lib.errors import service_call


class NameForm(forms.Form):
    name = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


class ServiceCallTests(SimpleTestCase):
    def test_a_finished_block_flashes_the_success_message(self):
        request = _request()
        with service_call(request, success="Saved.") as outcome:
            pass
        self.assertTrue(outcome.ok)
        self.assertEqual([str(m) for m in get_messages(request)], ["Saved."])

    def test_a_refusal_is_flashed_and_the_rest_of_the_block_skipped(self):
        request = _request()
        reached = []
        with service_call(request, success="Saved.") as outcome:
            raise ValidationError(["Too late.", "No minutes."])
            reached.append(True)  # pragma: no cover
        self.assertFalse(outcome.ok)
        self.assertEqual(reached, [])
        self.assertEqual([str(m) for m in get_messages(request)], ["Too late.", "No minutes."])

    def test_with_a_form_the_refusal_goes_under_its_field(self):
        request = _request()
        form = NameForm({"name": "x"})
        form.is_valid()
        with service_call(request, form=form, success="Saved.") as outcome:
            raise ValidationError({"name": "Taken.", "other": "Later."})
        self.assertFalse(outcome.ok)
        self.assertEqual(form.errors["name"], ["Taken."])
        self.assertEqual(form.non_field_errors(), ["Later."])
        self.assertEqual(list(get_messages(request)), [])

    def test_other_errors_are_not_swallowed(self):
        with self.assertRaises(KeyError), service_call(_request()):
            raise KeyError("bug")
