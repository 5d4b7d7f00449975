"""Awards: register pages (sổ khen thưởng): search, per person and per unit, import, statistics."""

from django.urls import path

from awards.views import register

urlpatterns: list = [
    path("", register.register, name="register"),
    path("export/", register.register_export, name="register-export"),
    path("person/<int:pk>/", register.register_person, name="register-person"),
    path("unit/<int:pk>/", register.register_unit, name="register-unit"),
    path("line/<int:pk>/", register.register_record, name="register-record"),
    path("import/", register.register_import, name="register-import"),
    path("import/template/", register.register_template, name="register-template"),
    path("stats/", register.register_stats, name="register-stats"),
    path("stats/export/", register.register_stats_export, name="register-stats-export"),
]
