"""Awards: nominations pages."""

urlpatterns: list = []
