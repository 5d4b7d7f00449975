"""Users, and the roles that give them a unit's subtree."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.fields import optional_fk


class User(AbstractUser):
    """A person who logs in. `unit` is their home unit; access comes only from roles."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    unit = optional_fk("org.Unit", _("unit"), related_name="users")
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        # A new password ends the account's API token, as Django ends its other sessions. Here,
        # where Django itself reacts to set_password(), so that every way of changing a password
        # (the password page, the admin, `changepassword`, services) rotates the token.
        rotate = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if rotate:
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user=self).delete()


class RoleQuerySet(models.QuerySet):
    def active(self) -> "RoleQuerySet":
        return self.filter(revoked_at__isnull=True)


class Role(models.Model):
    """A role at a unit gives access to that unit's whole subtree and nothing else."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("Unit administrator")
        OFFICER = "officer", _("Unit officer")
        VIEWER = "viewer", _("Read-only viewer")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="roles")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    granted_by = optional_fk(settings.AUTH_USER_MODEL)
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = optional_fk(settings.AUTH_USER_MODEL)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()} – {self.unit}"

    @property
    def can_write(self) -> bool:
        return self.kind in (self.Kind.ADMIN, self.Kind.OFFICER)
