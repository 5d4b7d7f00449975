"""Member pages: list and search within the user's subtree."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.scoping import scoped
from org.models import Member
from org.selectors.search import member_search


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    members = member_search(scoped(Member.objects.select_related("unit"), user=request.user), q)
    page = Paginator(members.order_by("name_folded", "id"), 50).get_page(request.GET.get("page"))
    return render(request, "org/member_list.html", {"page": page, "q": q})
