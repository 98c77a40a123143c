"""People and machine accounts that use the system."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from knox.models import AbstractAuthToken


# knox has no types, so the plugin cannot see ApiToken's reverse manager (auth_token_set).
class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A member of staff, or a camera or gateway's machine account (the `camera` role)."""

    staff_number = models.CharField(
        max_length=32, blank=True, help_text="Collar or staff number, shown in audit reports."
    )
    password_change_required = models.BooleanField(
        default=False,
        help_text="Its password was chosen by someone else (an administrator): its holder must "
        "choose their own before using anything else.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    @property
    def role_names(self) -> list[str]:
        return sorted(group.name for group in self.groups.all())

    @property
    def has_portal_access(self) -> bool:
        """Machine accounts only post reads over the API; everyone else may use the portal."""
        from .roles import PORTAL_ROLES

        if not self.is_active:
            return False
        return self.is_superuser or self.groups.filter(name__in=PORTAL_ROLES).exists()


class ApiToken(AbstractAuthToken):
    """An API token. Only its hash is stored (django-rest-knox); it expires and can be revoked."""

    REF_LENGTH = 16

    label = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    issued_by = models.CharField(max_length=150, help_text="Who issued it: the holder, or an administrator.")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.token_key[:12]}… of {self.user}"

    @property
    def ref(self) -> str:
        """How pages name the token: the start of its hash (never the token itself)."""
        return self.digest[: self.REF_LENGTH]
