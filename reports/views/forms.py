"""Report form pages: list, create, detail, edit a draft version, publish, new version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scoping import can_write, writable_units
from lib.errors import service_call
from org.models import UnitKind
from reports.forms import forms as forms_
from reports.models import FormVersion
from reports.selectors import forms as selectors
from reports.services import forms as services


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    forms_list = selectors.form_list(user=request.user).prefetch_related("versions")
    return render(
        request,
        "reports/form_list.html",
        {"forms": forms_list, "can_create": writable_units(user=request.user).exists()},
    )


def _keeper_units(user):
    # Forms are kept by federations (not grassroots unions or groups).
    return writable_units(user=user).exclude(kind__in=[UnitKind.GRASSROOTS, UnitKind.GROUP])


@login_required
@require_http_methods(["GET", "POST"])
def form_create(request: HttpRequest) -> HttpResponse:
    units = _keeper_units(request.user).order_by("depth", "name")
    if not units.exists():
        raise PermissionDenied
    form = forms_.FormCreateForm(request.POST or None, units=units, initial={"unit": units.first()})
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as outcome:
            created = services.form_create(by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("reports:form-edit", pk=created.versions.get().pk)
    return render(request, "reports/form_create.html", {"form": form})


@login_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report_form = selectors.form_get(user=request.user, pk=pk)
    writer = can_write(user=request.user, unit=report_form.unit)
    versions = list(report_form.versions.all())
    if not writer:
        versions = [v for v in versions if v.status != FormVersion.Status.DRAFT]
    chosen = request.GET.get("v")
    version = next((v for v in versions if str(v.pk) == chosen), None) or next(
        (v for v in versions if v.status == FormVersion.Status.PUBLISHED), versions[0] if versions else None
    )
    return render(
        request,
        "reports/form_detail.html",
        {
            "report_form": report_form,
            "versions": versions,
            "version": version,
            "structure": selectors.version_full(version) if version else [],
            "rules": version.rules.all() if version else [],
            "can_write": writer,
            "has_draft": any(v.status == FormVersion.Status.DRAFT for v in versions),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(user=request.user, pk=pk, write=True)
    if version.status != FormVersion.Status.DRAFT:
        messages.error(request, _("A published form version cannot be changed; make a new version."))
        return redirect("reports:form-detail", pk=version.form_id)
    problems: list[str] = []
    if request.method == "POST":
        formsets = forms_.formsets_for(data=request.POST, plan_id=version.form.plan_id)
        if all(fs.is_valid() for fs in formsets.values()):
            try:
                services.form_version_save(
                    version=version,
                    sections=forms_.kept(formsets["sections"]),
                    indicators=forms_.kept(formsets["indicators"]),
                    rules=forms_.kept(formsets["rules"]),
                    by=request.user,
                )
            except ValidationError as e:
                problems = e.messages
            else:
                messages.success(request, _("The form was saved."))
                return redirect(f"{_detail_url(version)}?v={version.pk}")
    else:
        formsets = forms_.formsets_for(
            initial=services.version_structure(version), plan_id=version.form.plan_id
        )
    return render(request, "reports/form_edit.html", {"version": version, "problems": problems, **formsets})


def _detail_url(version: FormVersion) -> str:
    from django.urls import reverse

    return reverse("reports:form-detail", args=[version.form_id])


@login_required
@require_POST
def form_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(user=request.user, pk=pk, write=True)
    with service_call(request, success=_("The form version was published; it can no longer be changed.")):
        services.form_publish(version=version, by=request.user)
    return redirect(f"{_detail_url(version)}?v={version.pk}")


@login_required
@require_POST
def form_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(user=request.user, pk=pk, write=True)
    new = services.form_new_version(version=version, by=request.user)
    return redirect("reports:form-edit", pk=new.pk)
