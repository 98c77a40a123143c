"""The test suite: real PostgreSQL and Redis, fast password hashing, demo data allowed."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
DEMO_DATA_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
WORKER_FRESH_CONTENT_TYPES = True

# The suite connects as the owner of the test database and acts as the application's role once
# the database is made (conftest.py); tests/database flushes between tests as the owner.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.database"  # noqa: F405
if env("DATABASE_ASSUME_ROLE", default=""):  # noqa: F405  (the suite's own servers and workers)
    DATABASES["default"].setdefault("OPTIONS", {})["assume_role"] = env("DATABASE_ASSUME_ROLE")  # noqa: F405
# Each test run's audit checkpoints apart from any other's (conftest.py gives each test its own).
AUDIT_CHECKPOINT_DIR = Path(tempfile.mkdtemp(prefix="anpr-test-checkpoints-"))
