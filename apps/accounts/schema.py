"""How the API's authentication appears in the OpenAPI schema."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class VerifiedSessionScheme(SessionScheme):
    target_class = "apps.accounts.access.VerifiedSessionAuthentication"


class ApiTokenScheme(KnoxTokenScheme):
    target_class = "apps.accounts.tokens.ApiTokenAuthentication"
    name = "tokenAuth"
