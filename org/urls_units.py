from django.urls import path

from org.views import units

urlpatterns = [
    path("units/", units.unit_tree, name="unit-tree"),
    path("units/<int:pk>/", units.unit_detail, name="unit-detail"),
]
