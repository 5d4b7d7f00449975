"""Awards: register pages."""

urlpatterns: list = []
