from django.urls import path

from org.views import members

urlpatterns = [
    path("members/", members.member_list, name="member-list"),
]
