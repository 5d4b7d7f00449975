"""Awards: councils pages."""

urlpatterns: list = []
