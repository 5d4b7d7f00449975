from django.urls import path

from campaigns.views import covenants as views

urlpatterns = [
    path("clusters/", views.cluster_list, name="cluster-list"),
    path("clusters/new/", views.cluster_create, name="cluster-create"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster-detail"),
    path("clusters/<int:pk>/edit/", views.cluster_edit, name="cluster-edit"),
    path("clusters/<int:pk>/rotate/", views.cluster_rotate, name="cluster-rotate"),
    path("clusters/<int:pk>/covenants/new/", views.covenant_create, name="covenant-create"),
    path("covenants/<int:pk>/", views.covenant_detail, name="covenant-detail"),
    path("covenants/<int:pk>/open/", views.covenant_open, name="covenant-open"),
    path("covenants/<int:pk>/sign/", views.covenant_sign, name="covenant-sign"),
]
