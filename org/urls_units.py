from django.urls import path

from org.views import units

urlpatterns = [
    path("units/", units.unit_tree, name="unit-tree"),
    path("units/search/", units.unit_search_view, name="unit-search"),
    path("units/<int:pk>/", units.unit_detail, name="unit-detail"),
    path("units/<int:pk>/children/", units.unit_children_rows, name="unit-children"),
    path("units/<int:pk>/history/", units.unit_history, name="unit-history"),
    path("units/<int:pk>/as-of/", units.unit_as_of, name="unit-as-of"),
    path("units/<int:pk>/add/", units.unit_create, name="unit-create"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit-edit"),
    path("units/<int:pk>/move/", units.unit_move, name="unit-move"),
    path("units/<int:pk>/merge/", units.unit_merge, name="unit-merge"),
    path("units/<int:pk>/split/", units.unit_split, name="unit-split"),
    path("units/<int:pk>/dissolve/", units.unit_dissolve, name="unit-dissolve"),
]
