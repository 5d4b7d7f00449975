from django.urls import path

from campaigns.views import plans as views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/issue/", views.plan_issue, name="plan-issue"),
    path("<int:pk>/amend/", views.plan_amend, name="plan-amend"),
    path("<int:pk>/close/", views.plan_close, name="plan-close"),
    path("<int:pk>/derive/", views.plan_derive, name="plan-derive"),
    path("<int:pk>/compare/", views.plan_compare, name="plan-compare"),
    path("<int:pk>/launch/", views.launch_create, name="launch-create"),
    path("movements/", views.movement_list, name="movement-list"),
    path("movements/new/", views.movement_create, name="movement-create"),
    path("inbox/", views.inbox, name="inbox"),
]
