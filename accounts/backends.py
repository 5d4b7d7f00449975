"""Login throttling backend.

django-axes refuses any `authenticate()` call without a request. The login page and the API
token endpoint always pass one (so they are throttled); programmatic calls such as
`Client.login()` in tests or a shell have no request to throttle by, so they skip the check.
"""

from axes.backends import AxesStandaloneBackend


class ThrottledBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
