"""Accounts and roles are audited; password hashes and login times are not recorded."""

from auditlog.registry import auditlog

from accounts.models import Role, User

auditlog.register(User, exclude_fields=["password", "last_login"])
auditlog.register(Role)
