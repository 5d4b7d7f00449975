"""Token authentication with an end: tokens expire, and are rotated or revoked (accounts.services)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.selectors import api_token_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token <key>`, refusing a token older than API_TOKEN_TTL_DAYS."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if api_token_expired(token):
            raise exceptions.AuthenticationFailed(_("The token has expired: ask for a new one."))
        return user, token


def token_lifecycle() -> str:
    return (
        f"A token lasts {settings.API_TOKEN_TTL_DAYS} days from when it was issued (`expires` in the "
        "answer of `POST /api/auth/token/`); asking again before then returns the same token, "
        "afterwards a new one. It ends earlier when the account's password changes, at logout "
        "(`POST /api/auth/logout/` or the site's logout), when the account is deactivated, or when "
        "an administrator revokes it. An expired or ended token answers 401: ask for a new one."
    )


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"
    priority = 1  # before drf-spectacular's own scheme for TokenAuthentication and its subclasses

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Header `Authorization: Token <key>`. " + token_lifecycle(),
        }
