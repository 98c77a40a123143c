"""People and machine accounts that use the system."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A member of staff, or a camera or gateway's machine account (the `camera` role)."""

    staff_number = models.CharField(
        max_length=32, blank=True, help_text="Collar or staff number, shown in audit reports."
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
