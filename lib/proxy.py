"""The client's address behind our own reverse proxies, from the one header they are configured to
write (settings.TRUSTED_PROXY_HEADER, e.g. HTTP_X_FORWARDED_FOR) and how many of them there are
(TRUSTED_PROXY_COUNT).

Each proxy appends the address it got the request from, so with N proxies of ours the client is
the N-th entry from the right; entries further left were written by the client and are ignored.
Without the setting the header is ignored: REMOTE_ADDR is the peer, which a client cannot forge.
The address found replaces REMOTE_ADDR, so django-axes (AXES_CLIENT_IP_CALLABLE) and the /verify/
rate limit, which count by it, see the client and not the proxy."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def forwarded_client(value: str, count: int) -> str | None:
    """The address `count` entries from the right of a comma-separated chain, if it is one."""
    chain = [part.strip() for part in value.split(",") if part.strip()]
    if count < 1 or len(chain) < count:
        return None
    candidate = chain[-count]
    if candidate.startswith("[") and "]" in candidate:  # [v6]:port
        candidate = candidate[1 : candidate.index("]")]
    elif candidate.count(":") == 1:  # v4:port
        candidate = candidate.split(":")[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class TrustedProxyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
        if header:
            client = forwarded_client(request.META.get(header, ""), settings.TRUSTED_PROXY_COUNT)
            if client:
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


def client_address(request) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the address the middleware settled on."""
    return request.META.get("REMOTE_ADDR")
