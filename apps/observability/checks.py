"""A deployment check: a metrics token short enough to guess is refused by `check --deploy`."""

from django.conf import settings
from django.core import checks

METRICS_TOKEN_MIN_LENGTH = 32


@checks.register(checks.Tags.security, deploy=True)
def metrics_token_is_long_enough(app_configs, **kwargs) -> list[checks.CheckMessage]:
    token = settings.METRICS_TOKEN
    if token and len(token) < METRICS_TOKEN_MIN_LENGTH:
        return [
            checks.Warning(
                f"METRICS_TOKEN is shorter than {METRICS_TOKEN_MIN_LENGTH} characters.",
                hint="Make one with: openssl rand -hex 32",
                id="observability.W001",
            )
        ]
    return []
