"""Accounts and roles are audited; password hashes and login times are not recorded."""

from accounts.models import Role, User
from lib.audit import audit_register

audit_register(User, unit="unit_id", exclude_fields=["password", "last_login"])
audit_register(Role, unit="unit_id")
