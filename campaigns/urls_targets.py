"""Live targets: dashboard, target drill-down, pilot models, contest entries, .xlsx exports."""

from django.urls import path

from campaigns.views import targets as views

urlpatterns = [
    path("plans/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("plans/<int:pk>/targets/export/", views.target_export, name="target-export"),
    path("plans/<int:pk>/registrations/export/", views.registration_export, name="registration-export"),
    path("targets/<int:pk>/", views.target_detail, name="target-detail"),
    path("plans/<int:pk>/pilot-models/", views.pilot_list, name="pilot-list"),
    path("plans/<int:pk>/pilot-models/new/", views.pilot_create, name="pilot-create"),
    path("pilot-models/<int:pk>/", views.pilot_detail, name="pilot-detail"),
    path("pilot-models/<int:pk>/edit/", views.pilot_edit, name="pilot-edit"),
    path("pilot-models/<int:pk>/status/", views.pilot_status, name="pilot-status"),
    path("pilot-models/<int:pk>/photos/", views.pilot_photo_add, name="pilot-photo-add"),
    path("pilot-photos/<int:pk>/", views.pilot_photo, name="pilot-photo"),
    path("plans/<int:pk>/contest-entries/", views.contest_list, name="contest-list"),
    path("plans/<int:pk>/contest-entries/new/", views.contest_create, name="contest-create"),
]
