"""A workstation running `make run`: demo data allowed, no TLS, and DEBUG off as in production,
so a stale or refused link shows the portal's own error page. `DEBUG=1 make run` turns Django's
debug pages on while developing."""

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
DEMO_DATA_ALLOWED = True
# Static files straight from static/, with no collectstatic and whether DEBUG is on or off
# (WhiteNoise follows DEBUG for both unless told).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
