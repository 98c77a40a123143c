"""Binding machine accounts to cameras in the portal: the page, the form, the list."""

import pytest
from django.test import Client

from apps.cameras.bindings import cameras_bound_to, is_in_vehicle_unit
from apps.cameras.tests.factories import CameraFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_binds_a_machine_account_in_the_portal(make_user, sign_in_client):
    CameraFactory(code="CAM-B1")
    CameraFactory(code="CAM-B2")
    CameraFactory(code="CAM-OLD", status="decommissioned")
    gateway = make_user("camera", username="gateway-b")
    admin = sign_in_client(make_user("administrator"), Client())
    page = admin.get(f"/cameras/accounts/{gateway.pk}/").content.decode()
    assert "CAM-B1" in page and "CAM-OLD" not in page  # a decommissioned camera posts nothing
    response = admin.post(
        f"/cameras/accounts/{gateway.pk}/", {"cameras": ["CAM-B1", "CAM-B2"], "in_vehicle_unit": "on"}
    )
    assert response.status_code == 302
    assert cameras_bound_to(gateway) == {"CAM-B1", "CAM-B2"} and is_in_vehicle_unit(gateway)
    admin.post(f"/cameras/accounts/{gateway.pk}/", {"cameras": ["CAM-B2"]})
    assert cameras_bound_to(gateway) == {"CAM-B2"} and not is_in_vehicle_unit(gateway)
    listing = admin.get("/cameras/accounts/").content.decode()
    assert "gateway-b" in listing and "CAM-B2" in listing


def test_staff_accounts_have_no_binding_page(make_user, sign_in_client):
    officer = make_user("officer")
    admin = sign_in_client(make_user("administrator"), Client())
    assert admin.get(f"/cameras/accounts/{officer.pk}/").status_code == 404
