from rest_framework.authtoken.models import Token

from lib.testing import BaseTestCase


class ApiTestCase(BaseTestCase):
    """Requests carry `Authorization: Token …` of the user passed to `auth`."""

    def auth(self, user) -> None:
        token, _ = Token.objects.get_or_create(user=user)
        self.client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"

    def get_json(self, url: str, params: dict | None = None, status: int = 200):
        r = self.client.get(url, params or {})
        self.assertEqual(r.status_code, status, r.content[:500])
        return r.json()
