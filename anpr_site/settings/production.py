"""Production: TLS everywhere, secure cookies, HSTS, no demo data."""

from .base import *  # noqa: F403
from .base import SMTP_MAIL, env, mailers

DEBUG = False
DEMO_DATA_ALLOWED = False
MAILERS = mailers(SMTP_MAIL)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# A TLS-terminating proxy in front of gunicorn tells us the original scheme.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
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
