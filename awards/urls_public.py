"""Public pages of awards (no login): certificate verification."""

urlpatterns: list = []
