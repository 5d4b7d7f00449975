"""Account pages: administrators manage the accounts and roles of the units below them."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import RoleGrantForm, UserCreateForm, UserEditForm
from accounts.models import Role, User
from accounts.scoping import can_administer, is_administrator, scoped_roles, scoped_users
from lib.errors import service_call


def admin_required(view: Callable) -> Callable:
    """Logged-in unit administrators (or superusers) only; everyone else gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_administrator(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _get_user(request: HttpRequest, pk: int) -> User:
    """An account the administrator may see: 404 when missing or out of scope."""
    try:
        return scoped_users(User.objects.select_related("unit"), user=request.user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404


def _require_home_unit(request: HttpRequest, account: User) -> None:
    """Editing an account needs its home unit administered, not just one of its roles."""
    if not can_administer(user=request.user, unit=account.unit):
        raise PermissionDenied


@admin_required
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    users = selectors.user_list(user=request.user, q=q)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


@admin_required
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        generated = not data["password1"]
        password = services.password_generate() if generated else data["password1"]
        with service_call(request, form=form) as outcome:
            account = services.user_create(
                acting_user=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                unit=data["unit"],
                role_kind=data["role_kind"],
                password=password,
            )
        if outcome.ok:
            if generated:
                # Rendered, not redirected: the password is shown this once and stored nowhere.
                return render(
                    request, "accounts/user_created.html", {"account": account, "password": password}
                )
            messages.success(request, _("Account %(username)s created.") % {"username": account.username})
            return redirect("accounts:user-detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": None})


@admin_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _get_user(request, pk)
    roles = selectors.user_roles(user=account)
    for role in roles:
        role.revocable = role.revoked_at is None and can_administer(user=request.user, unit=role.unit)
    context = {
        "account": account,
        "api_token": selectors.api_token_of(user=account),
        "roles": roles,
        "entries": selectors.user_audit(user=account, roles=roles),
        "can_edit": can_administer(user=request.user, unit=account.unit),
    }
    return render(request, "accounts/user_detail.html", context)


@admin_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _get_user(request, pk)
    _require_home_unit(request, account)
    initial = {
        "full_name": account.full_name,
        "email": account.email,
        "phone": account.phone,
        "unit": account.unit.code if account.unit else "",
    }
    form = UserEditForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Account saved.")) as outcome:
            services.user_update(acting_user=request.user, user=account, **form.cleaned_data)
        if outcome.ok:
            return redirect("accounts:user-detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": account})


@require_POST
@admin_required
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = _get_user(request, pk)
    _require_home_unit(request, account)
    try:
        services.user_deactivate(acting_user=request.user, user=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Account %(username)s deactivated.") % {"username": account.username})
    return redirect("accounts:user-detail", pk=account.pk)


@require_POST
@admin_required
def user_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    account = _get_user(request, pk)
    _require_home_unit(request, account)
    if services.api_token_revoke(acting_user=request.user, user=account):
        messages.success(
            request, _("The API token of %(username)s was revoked.") % {"username": account.username}
        )
    else:
        messages.info(request, _("%(username)s has no API token.") % {"username": account.username})
    return redirect("accounts:user-detail", pk=account.pk)


class LogoutView(auth_views.LogoutView):
    """The site's logout also ends the account's API token."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            services.api_token_end(user=request.user)
        return super().post(request, *args, **kwargs)


@admin_required
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    account = _get_user(request, pk)
    form = RoleGrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Role granted.")) as outcome:
            services.role_grant(
                acting_user=request.user,
                user=account,
                unit=form.cleaned_data["unit"],
                kind=form.cleaned_data["kind"],
            )
        if outcome.ok:
            return redirect("accounts:user-detail", pk=account.pk)
    return render(request, "accounts/role_form.html", {"form": form, "account": account})


@require_POST
@admin_required
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        role = scoped_roles(Role.objects.select_related("unit", "user"), user=request.user).get(pk=pk)
    except Role.DoesNotExist:
        raise Http404
    services.role_revoke(acting_user=request.user, role=role)
    messages.success(request, _("Role revoked."))
    # The account may have been in scope only through this role.
    if not scoped_users(User.objects.filter(pk=role.user_id), user=request.user).exists():
        return redirect("accounts:user-list")
    return redirect("accounts:user-detail", pk=role.user_id)
