"""Fixtures shared by every test: users per role, signed-in clients, and a real Celery worker."""

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from apps.accounts.roles import CAMERA, PORTAL_ROLES, ROLES
from apps.accounts.services import api_token_issue
from apps.accounts.tests.factories import UserFactory

PORTAL_ROLE_NAMES = PORTAL_ROLES
ALL_ROLE_NAMES = ROLES


@pytest.fixture
def make_user(db):
    """make_user("officer", "auditor", username=...) -> a user holding those roles."""

    def make(*roles: str, **fields):
        return UserFactory(roles=list(roles), totp=CAMERA not in roles, **fields)

    return make


@pytest.fixture
def sign_in_client(client):
    """A test client signed in as `user` with a verified second factor (no code typed)."""

    def sign_in(user, target=None):
        target = target or client
        target.force_login(user)
        session = target.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        return target

    return sign_in


@pytest.fixture
def api_client_for(db):
    """api_client_for(user) -> a DRF client sending that user's token."""

    def for_user(user):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
        return api

    return for_user


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the test database; tests using it need transactional_db."""
    from anpr_site.celery import app

    url = urlsplit(os.environ["DATABASE_URL"])
    test_db_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env = {**os.environ, "DATABASE_URL": test_db_url, "DJANGO_SETTINGS_MODULE": "anpr_site.settings.test"}
    app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "anpr_site",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"test-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail("The Celery worker did not start.")
    yield worker
    worker.terminate()
    worker.wait(timeout=30)
