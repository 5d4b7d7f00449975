from django.urls import path

from org.views import members, units

app_name = "org"

urlpatterns = [
    path("units/", units.unit_tree, name="unit-tree"),
    path("units/<int:pk>/", units.unit_detail, name="unit-detail"),
    path("members/", members.member_list, name="member-list"),
]
