"""Reads of report forms, scoped: a form is seen by its unit's subtree, and published forms
also by the units below that (they fill them)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.scoping import can_read, can_write, scoped_with_above
from reports.models import FormVersion, ReportForm


def _published() -> Q:
    return Q(pk__in=FormVersion.objects.filter(status=FormVersion.Status.PUBLISHED).values("form_id"))


def form_list(*, user) -> QuerySet[ReportForm]:
    return scoped_with_above(ReportForm.objects.select_related("unit"), user=user, published=_published())


def form_get(*, user, pk: int, write: bool = False) -> ReportForm:
    form = get_object_or_404(form_list(user=user), pk=pk)
    if write and not can_write(user=user, unit=form.unit):
        raise PermissionDenied
    return form


def version_get(*, user, pk: int, write: bool = False) -> FormVersion:
    """A form version; units below the form's keeper only see published or retired ones."""
    forms = form_list(user=user)
    version = get_object_or_404(
        FormVersion.objects.select_related("form__unit").filter(form__in=forms), pk=pk
    )
    if write and not can_write(user=user, unit=version.form.unit):
        raise PermissionDenied
    if version.status == FormVersion.Status.DRAFT and not can_read(user=user, unit=version.form.unit):
        raise Http404
    return version


def version_full(version: FormVersion) -> list[tuple]:
    """[(section or None, [indicators])] in order, in two queries."""
    sections = list(version.sections.all())
    indicators = list(version.indicators.all())
    by_section: dict = {s.pk: [] for s in sections}
    loose = []
    for ind in indicators:
        (by_section[ind.section_id] if ind.section_id in by_section else loose).append(ind)
    out = [(s, by_section[s.pk]) for s in sections]
    if loose:
        out.append((None, loose))
    return out


def published_versions(*, user) -> QuerySet[FormVersion]:
    return FormVersion.objects.filter(
        form__in=form_list(user=user), status=FormVersion.Status.PUBLISHED
    ).select_related("form")
