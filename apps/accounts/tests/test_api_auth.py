"""API authentication: tokens for machines, verified sessions for the browser, JSON errors."""

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from apps.accounts.access import DeclaredPermission

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def test_anonymous_calls_get_401_with_a_json_body(client):
    response = client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"] == "not_authenticated"


def test_a_bad_token_gets_401(client):
    response = client.get(ME, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
    assert response.json()["error"] == "authentication_failed"


def test_a_token_authenticates_a_machine_account(make_user, api_client_for):
    camera = make_user("camera", username="gateway-1")
    response = api_client_for(camera).get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "username": "gateway-1",
        "roles": ["camera"],
        "permissions": ["reads.add_read"],
    }


def test_a_disabled_accounts_token_stops_working(make_user, api_client_for):
    camera = make_user("camera")
    api = api_client_for(camera)
    camera.is_active = False
    camera.save()
    assert api.get(ME).status_code == 401


def test_a_verified_browser_session_works_for_the_api(client, make_user, sign_in_client):
    auditor = make_user("auditor")
    sign_in_client(auditor)
    body = client.get(ME).json()
    assert body["roles"] == ["auditor"]
    assert "audit.view_securityevent" in body["permissions"]


def test_a_session_without_the_second_factor_does_not_count(client, make_user):
    officer = make_user("officer")
    client.force_login(officer)  # password only: no verified device in the session
    assert client.get(ME).status_code == 401


def test_an_api_view_that_declares_nothing_is_refused_with_403(make_user):
    class Undeclared(APIView):
        def get(self, request):
            return None

    request = APIRequestFactory().get("/undeclared/")
    force_authenticate(request, user=make_user("administrator"))
    response = Undeclared.as_view()(request)
    assert response.status_code == 403
    assert response.data["error"] == "permission_denied"


def test_declared_permissions_are_enforced_per_method(make_user):
    class Declared(APIView):
        permission_classes = [DeclaredPermission]
        required_permissions = {"GET": ("audit.view_securityevent",)}

        def get(self, request):
            from rest_framework.response import Response

            return Response({"ok": True})

        def post(self, request):
            return None

    factory = APIRequestFactory()
    for user, method, expected in [
        (make_user("auditor"), "get", 200),
        (make_user("officer"), "get", 403),
        (make_user("auditor"), "post", 403),  # a method it does not name is refused
    ]:
        request = getattr(factory, method)("/declared/")
        force_authenticate(request, user=user)
        assert Declared.as_view()(request).status_code == expected


def test_create_api_token_binds_the_cameras_and_prints_a_working_token_last(make_user, capsys, client):
    from apps.accounts.models import ApiToken
    from apps.cameras.bindings import cameras_bound_to
    from apps.cameras.tests.factories import CameraFactory

    CameraFactory(code="CAM-7A")
    CameraFactory(code="CAM-7B")
    gateway = make_user("camera", username="gateway-7")
    call_command("create_api_token", "gateway-7", "--cameras", "cam-7a, CAM-7B")
    first = capsys.readouterr().out.split()[-1]
    assert cameras_bound_to(gateway) == {"CAM-7A", "CAM-7B"}
    call_command("create_api_token", "gateway-7", "--cameras", "CAM-7B")  # replaces the set
    second = capsys.readouterr().out.split()[-1]
    assert cameras_bound_to(gateway) == {"CAM-7B"}
    assert first != second and first.startswith("anpr_")
    for token in (first, second):
        assert client.get(ME, HTTP_AUTHORIZATION=f"Token {token}").json()["username"] == "gateway-7"
    # Only hashes are kept: neither token is anywhere in the table.
    stored = [str(value) for row in ApiToken.objects.values_list() for value in row]
    assert not [value for value in stored if first in value or second in value]


def test_create_api_token_refuses_unknown_cameras_and_binds_nothing(make_user):
    from apps.cameras.bindings import cameras_bound_to

    gateway = make_user("camera", username="gateway-8")
    with pytest.raises(CommandError, match="NOPE"):
        call_command("create_api_token", "gateway-8", "--cameras", "NOPE")
    assert cameras_bound_to(gateway) == frozenset()


def test_create_api_token_refuses_unknown_users():
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody")
