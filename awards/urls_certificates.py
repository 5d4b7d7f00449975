"""Awards: certificates pages."""

urlpatterns: list = []
