"""Public notice of nominees before the council: publishing (officers of the deciding level),
moderating and answering comments, and the public page that needs no login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import can_write, get_for_user, writable_units
from awards.forms import nominations as forms
from awards.models import NoticeComment, PublicNotice
from awards.selectors import nominations as selectors
from awards.services import notices as services
from lib.errors import service_call


@login_required
@require_http_methods(["GET", "POST"])
def notice_create(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get(user=request.user, pk=pk)
    if not writable_units(user=request.user).exists():
        raise PermissionDenied
    candidates = selectors.notice_candidates(user=request.user, rnd=rnd)
    form = forms.NoticeCreateForm(
        request.POST or None, candidates=candidates, initial={"opens_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["candidate"]
        award, unit, _n = next(c for c in candidates if f"{c[0].pk}-{c[1].pk}" == key)
        with service_call(request, form=form, success=_("The list is published for comment.")) as outcome:
            notice = services.notice_publish(
                round=rnd,
                award=award,
                unit=unit,
                opens_on=form.cleaned_data["opens_on"],
                created_by=request.user,
            )
        if outcome.ok:
            return redirect("awards:notice-detail", pk=notice.pk)
    return render(
        request, "awards/notice_create.html", {"round": rnd, "form": form, "candidates": candidates}
    )


@login_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(user=request.user, pk=pk)
    return render(
        request,
        "awards/notice_detail.html",
        {
            "notice": notice,
            "nominees": selectors.notice_nominees(notice),
            "comments": selectors.notice_comments(notice),
            "can_moderate": can_write(user=request.user, unit=notice.unit),
            "public_url": request.build_absolute_uri(reverse("awards:notice-public", args=[notice.token])),
            "is_open": services.notice_is_open(notice),
        },
    )


@login_required
@require_POST
def notice_comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_for_user(
        NoticeComment.objects.select_related("notice__unit"),
        request.user,
        write=True,
        unit_field="notice__unit",
        pk=pk,
    )
    form = forms.ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or reject the comment."))
    else:
        with service_call(request, success=_("The comment was moderated.")):
            services.notice_comment_moderate(
                comment=comment,
                by=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                answer=form.cleaned_data["answer"],
            )
    return redirect(reverse("awards:notice-detail", args=[comment.notice_id]) + f"#comment-{comment.pk}")


def _client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded-for header is the client's to forge unless a proxy sets it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _public_rows(nominees) -> list[dict]:
    """Only what the public may see of each nominee: name, unit and a short summary."""
    return [
        {"pk": n.pk, "name": n.name, "unit": n.unit.name, "summary": selectors.achievement_summary(n)}
        for n in nominees
    ]


def _public_comments(notice: PublicNotice) -> list[dict]:
    accepted = notice.comments.filter(status=NoticeComment.Status.ACCEPTED).select_related("nominee")
    return [
        {
            "pk": c.pk,
            "author": c.author_name,
            "about": c.nominee.name if c.nominee_id else "",
            "text": c.text,
            "answer": c.answer,
            "date": timezone.localtime(c.created_at).date(),
        }
        for c in accepted.order_by("created_at", "id")
    ]


@require_http_methods(["GET", "POST"])
def notice_public(request: HttpRequest, token: str) -> HttpResponse:
    """The published list, open to anyone holding the link, with the comment form."""
    notice = get_object_or_404(PublicNotice.objects.select_related("award", "unit"), token=token)
    today = timezone.localdate()
    started = notice.opens_on <= today
    is_open = services.notice_is_open(notice, today=today)
    nominees = selectors.notice_nominees(notice) if started else []
    form = forms.CommentForm(request.POST or None, nominees=nominees)
    status = 200
    if request.method == "POST":
        ip = _client_ip(request)
        if not is_open:
            messages.error(request, _("Comments are not accepted now."))
            status = 403
        elif services.rate_limited(key=ip):
            messages.error(request, _("Too many comments from your connection: try again in an hour."))
            status = 429
        elif form.is_valid():
            if form.cleaned_data.get("website"):  # a bot filled the trap field: say thanks, keep nothing
                return redirect("awards:notice-public", token=token)
            nominee_pk = form.cleaned_data.get("nominee")
            nominee = next((n for n in nominees if n.pk == nominee_pk), None)
            with service_call(request, form=form) as outcome:
                services.notice_comment_add(
                    notice=notice,
                    nominee=nominee,
                    author_name=form.cleaned_data["author_name"],
                    contact=form.cleaned_data["contact"],
                    text=form.cleaned_data["text"],
                    today=today,
                )
            if not outcome.ok:
                status = 400
            else:
                services.rate_count(key=ip)
                messages.success(
                    request, _("Thank you: your comment will be published once it has been answered.")
                )
                return redirect("awards:notice-public", token=token)
        else:
            status = 400
    return render(
        request,
        "awards/notice_public.html",
        {
            "award_name": notice.award.name,
            "unit_name": notice.unit.name,
            "opens_on": notice.opens_on,
            "closes_on": notice.closes_on,
            "started": started,
            "is_open": is_open,
            "rows": _public_rows(nominees),
            "comments": _public_comments(notice) if started else [],
            "form": form,
        },
        status=status,
    )
