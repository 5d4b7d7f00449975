"""Public pages of awards (no login): certificate verification. Included at the site root,
without a namespace: the address printed in every certificate's QR code is /verify/<code>/."""

from django.urls import path

from awards.views import verify

urlpatterns: list = [
    path("verify/", verify.verify_form, name="verify-form"),
    path("verify/<str:code>/", verify.verify, name="verify"),
]
