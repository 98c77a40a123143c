"""How the API's authentication appears in the OpenAPI schema."""

from drf_spectacular.authentication import SessionScheme


class VerifiedSessionScheme(SessionScheme):
    target_class = "apps.accounts.access.VerifiedSessionAuthentication"
