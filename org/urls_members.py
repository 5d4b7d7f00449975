from django.urls import path

from org.views import audit, members

urlpatterns = [
    path("members/", members.member_list, name="member-list"),
    path("members/new/", members.member_create, name="member-create"),
    path("members/export/", members.member_export, name="member-export"),
    path("members/<int:pk>/", members.member_detail, name="member-detail"),
    path("members/<int:pk>/edit/", members.member_edit, name="member-edit"),
    path("members/<int:pk>/move/", members.member_move, name="member-move"),
    path("members/<int:pk>/status/", members.member_status, name="member-status"),
    path("members/<int:pk>/audit/", audit.member_audit, name="member-audit"),
    path("units/<int:pk>/audit/", audit.unit_audit, name="unit-audit"),
]
