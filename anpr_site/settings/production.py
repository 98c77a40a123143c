"""Production: TLS everywhere, secure cookies, HSTS, no demo data."""

from .base import *  # noqa: F403
from .base import SMTP_MAIL, env, mailers

DEBUG = False
DEMO_DATA_ALLOWED = False
MAILERS = mailers(SMTP_MAIL)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The container health check asks over plain HTTP on the loopback (anpr_site/healthcheck.py);
# the answer says only whether the database answers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Which requests came over HTTPS. Under gunicorn's uvicorn workers (docker/, docs/deployment.md)
# the server takes the scheme from X-Forwarded-Proto only when the request comes from an address
# in FORWARDED_ALLOW_IPS, the TLS proxy's, and this stays off. Django's own check believes the
# header from anyone who can reach the server: turn it on (TRUST_PROXY_HEADERS) only for a
# server that does not check, and only where nothing but the proxy can reach it.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("TRUST_PROXY_HEADERS", default=False) else None
)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Hashed, compressed static files with far-future caching (run collectstatic at build time).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
