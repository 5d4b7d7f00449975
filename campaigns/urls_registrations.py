from django.urls import path

from campaigns.views import registrations as views

urlpatterns = [
    path("plans/<int:plan_pk>/register/", views.registration_start, name="registration-start"),
    path("plans/<int:plan_pk>/registrations/status/", views.registration_status, name="registration-status"),
    path("plans/<int:plan_pk>/registrations/remind/", views.registration_remind, name="registration-remind"),
    path("registrations/", views.registration_list, name="registration-list"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration-detail"),
    path("registrations/<int:pk>/edit/", views.registration_edit, name="registration-edit"),
    path("registrations/<int:pk>/submit/", views.registration_submit, name="registration-submit"),
    path("registrations/<int:pk>/reopen/", views.registration_reopen, name="registration-reopen"),
    path("registrations/<int:pk>/members/", views.pledge_add, name="pledge-add"),
    path("registrations/<int:pk>/members/<int:pledge_pk>/remove/", views.pledge_remove, name="pledge-remove"),
]
