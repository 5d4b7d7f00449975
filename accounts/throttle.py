"""Login throttling by client address as well as by username.

django-axes locks a username+address pair after AXES_FAILURE_LIMIT wrong passwords, which lets
one address try a few passwords on every account (60 usernames, 4 tries each, no lockout). This
handler also locks the address itself once AXES_IP_FAILURE_LIMIT failures from it, across all
usernames, fall within the cool-off time; other addresses are not affected. The page, the admin
and the API token endpoint all authenticate through django-axes, so all three are covered."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


class AddressLockoutHandler(AxesDatabaseHandler):
    def address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gt=get_cool_off_threshold(request))
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0

    def address_locked(self, request) -> bool:
        limit = settings.AXES_IP_FAILURE_LIMIT
        locked = bool(limit) and self.address_failures(request) >= limit
        if locked:
            request.axes_address_locked = True  # for the lockout page and the API's message
        return locked

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if (
            request is None
            or getattr(request, "axes_locked_out", False)
            or self.is_whitelisted(request, credentials)
        ):
            return
        if self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
