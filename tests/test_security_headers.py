"""Security headers on every page: CSP with nonces, frame denial, no sniffing, same-origin referrer."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sign_in_page_sends_the_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_scripts_carry_the_csp_nonce(client):
    response = client.get(reverse("accounts:login"))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_forms_refuse_posts_without_a_csrf_token(make_user):
    from django.test import Client

    officer = make_user("officer")
    response = Client(enforce_csrf_checks=True).post(
        reverse("accounts:login"), {"username": officer.username, "password": "x", "code": "123456"}
    )
    assert response.status_code == 403


def test_hsts_and_secure_cookies_in_production_settings():
    import subprocess
    import sys

    probe = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "anpr_site.settings.production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://localhost/anpr",
        "CELERY_BROKER_URL": "redis://localhost:6379/0",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["31536000", "True", "True", "True", "False"]
