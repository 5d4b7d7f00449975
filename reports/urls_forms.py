from django.urls import path

from reports.views import forms as views

urlpatterns = [
    path("forms/", views.form_list, name="form-list"),
    path("forms/new/", views.form_create, name="form-create"),
    path("forms/<int:pk>/", views.form_detail, name="form-detail"),
    path("forms/versions/<int:pk>/edit/", views.form_edit, name="form-edit"),
    path("forms/versions/<int:pk>/publish/", views.form_publish, name="form-publish"),
    path("forms/versions/<int:pk>/new-version/", views.form_new_version, name="form-new-version"),
]
