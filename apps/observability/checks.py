"""A deployment check: a metrics token short enough to guess fails `check --deploy` (at runtime
it opens nothing: apps/accounts/access.py)."""

from django.conf import settings
from django.core import checks

from apps.accounts.access import BEARER_TOKEN_MIN_LENGTH


@checks.register(checks.Tags.security, deploy=True)
def metrics_token_is_long_enough(app_configs, **kwargs) -> list[checks.CheckMessage]:
    token = settings.METRICS_TOKEN
    if token and len(token) < BEARER_TOKEN_MIN_LENGTH:
        return [
            checks.Error(
                f"METRICS_TOKEN is shorter than {BEARER_TOKEN_MIN_LENGTH} characters, so no token "
                "opens /metrics.",
                hint="Make one with: openssl rand -hex 32",
                id="observability.E001",
            )
        ]
    return []
