"""Awards: the landing page, the catalogue, eligibility and the evidence it reads."""

from django.urls import path

from awards.views import catalogue, eligibility, home

urlpatterns: list = [
    path("", home.home, name="home"),
    # the catalogue
    path("catalogue/", catalogue.award_list, name="award-list"),
    path("catalogue/new/", catalogue.award_create, name="award-create"),
    path("catalogue/<int:pk>/", catalogue.award_detail, name="award-detail"),
    path("catalogue/<int:pk>/edit/", catalogue.award_edit, name="award-edit"),
    path("catalogue/<int:pk>/active/", catalogue.award_active, name="award-active"),
    path("catalogue/<int:pk>/delete/", catalogue.award_delete, name="award-delete"),
    path("catalogue/<int:pk>/conditions/new/", catalogue.condition_create, name="condition-create"),
    path("catalogue/conditions/<int:pk>/edit/", catalogue.condition_edit, name="condition-edit"),
    path("catalogue/conditions/<int:pk>/delete/", catalogue.condition_delete, name="condition-delete"),
    path("catalogue/<int:pk>/quotas/new/", catalogue.quota_create, name="quota-create"),
    path("catalogue/quotas/<int:pk>/edit/", catalogue.quota_edit, name="quota-edit"),
    path("catalogue/quotas/<int:pk>/delete/", catalogue.quota_delete, name="quota-delete"),
    # who is eligible, per person or collective, and as a list
    path("eligible/", eligibility.eligible_list, name="eligible-list"),
    path("eligible/export/", eligibility.eligible_export, name="eligible-export"),
    path("eligibility/members/<int:pk>/", eligibility.member_eligibility, name="member-eligibility"),
    path("eligibility/units/<int:pk>/", eligibility.unit_eligibility, name="unit-eligibility"),
    # evidence the conditions read
    path(
        "eligibility/members/<int:pk>/initiatives/new/",
        eligibility.member_initiative_create,
        name="member-initiative-create",
    ),
    path(
        "eligibility/units/<int:pk>/initiatives/new/",
        eligibility.unit_initiative_create,
        name="unit-initiative-create",
    ),
    path("initiatives/<int:pk>/edit/", eligibility.initiative_edit, name="initiative-edit"),
    path("initiatives/<int:pk>/delete/", eligibility.initiative_delete, name="initiative-delete"),
    path("eligibility/members/<int:pk>/service/new/", eligibility.service_create, name="service-create"),
    path("service/<int:pk>/edit/", eligibility.service_edit, name="service-edit"),
    path("service/<int:pk>/delete/", eligibility.service_delete, name="service-delete"),
]
