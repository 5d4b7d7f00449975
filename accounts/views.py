"""Account pages: users of the units in the administrator's subtree."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from accounts.scoping import scoped


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = scoped(User.objects.select_related("unit"), user=request.user).order_by("username")
    return render(request, "accounts/user_list.html", {"users": users})
