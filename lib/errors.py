"""A service's ValidationError shown to the user: the one way every view does it."""

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    """Each message of `error` as an error notice on the next page (for views that redirect)."""
    for message in error.messages:
        messages.error(request, message)


def add_form_errors(
    form: forms.Form, error: ValidationError, *, aliases: dict | None = None, by_field: bool = True
) -> None:
    """`error` on the form: under the field it names where the form has that field, else on top.

    Services name model fields; `aliases` maps such a name to the form's own field name.
    `by_field=False` puts every message on top (forms whose fields do not match the model's)."""
    if not by_field or not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    aliases = aliases or {}
    for key, field_messages in error.message_dict.items():
        name = aliases.get(key, key)
        form.add_error(name if name in form.fields else None, field_messages)


class Outcome:
    """What `service_call` saw: `ok` is False when the service refused (its errors are shown)."""

    ok = False


@contextmanager
def service_call(
    request: HttpRequest, *, success: str = "", form: forms.Form | None = None, **form_options
) -> Iterator[Outcome]:
    """Run the service calls in the block; a ValidationError they raise is shown, not raised.

    The errors go on `form` (see `add_form_errors`; `form_options` are passed on) when one is
    given, else they are flashed; `success` is flashed when the block finished. The view then
    reads `outcome.ok` to redirect or re-render:

        with service_call(request, success=_("Saved.")) as outcome:
            services.plan_issue(plan=plan, issued_by=request.user)
        return redirect(...)
    """
    outcome = Outcome()
    try:
        yield outcome
    except ValidationError as error:
        if form is not None:
            add_form_errors(form, error, **form_options)
        else:
            flash_errors(request, error)
    else:
        outcome.ok = True
        if success:
            messages.success(request, success)


def flash_form_errors(request: HttpRequest, form: forms.Form) -> None:
    """Each error of an invalid `form` as an error notice (for POST-only views that redirect)."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
