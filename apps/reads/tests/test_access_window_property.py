"""Property: whatever reads exist, whoever searches and whatever range they ask for, no path
returns a read older than the standard window when no access request is named, and every
matching read inside it is returned."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.cameras.tests.factories import CameraFactory
from apps.reads.models import Read
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE

pytestmark = pytest.mark.django_db

MINUTES_IN_RETENTION = 729 * 24 * 60
ages = st.lists(st.integers(min_value=0, max_value=MINUTES_IN_RETENTION), min_size=1, max_size=25)
ranges = st.tuples(
    st.one_of(st.none(), st.integers(min_value=-60, max_value=MINUTES_IN_RETENTION)),
    st.one_of(st.none(), st.integers(min_value=-60, max_value=MINUTES_IN_RETENTION)),
)
plates = st.sampled_from(["AB12CDE", "AB1*", "?B12CDE", "ZZ99ZZZ", "*2CD*", "AB12???"])
roles = st.sampled_from(["officer", "supervisor"])


class Rollback(Exception):
    pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(read_ages=ages, time_range=ranges, vrm=plates, role=roles, via=st.sampled_from(["api", "portal"]))
def test_no_read_outside_the_window_ever_leaves(
    make_user, api_client_for, sign_in_client, read_ages, time_range, vrm, role, via, django_settings
):
    try:
        with transaction.atomic():
            now = timezone.now()
            camera = CameraFactory()
            reads_ingest(
                items=[
                    ReadInput(
                        camera=camera.code, vrm="AB12CDE", seen_at=now - timedelta(minutes=m), confidence=0.9
                    )
                    for m in set(read_ages)
                ],
                source="upload",
            )
            user = make_user(role)
            params = {"vrm": vrm, **PURPOSE}
            after, before = time_range
            if after is not None:
                params["seen_after"] = (now - timedelta(minutes=after)).isoformat()
            if before is not None:
                params["seen_before"] = (now - timedelta(minutes=before)).isoformat()
            window = django_settings.READ_ACCESS_STANDARD_DAYS * 24 * 60
            if after is not None and before is not None and after < before:
                raise Rollback  # 'seen after' later than 'seen before': refused as asking for nothing
            if after is not None and after < 0:
                raise Rollback  # 'seen after' in the future: refused as asking for nothing
            returned = _returned(via, user, params, api_client_for, sign_in_client)
            oldest_allowed = timezone.now() - timedelta(minutes=window)
            assert all(seen_at >= oldest_allowed for seen_at in returned)
            # ...and nothing inside the window that matches is withheld.
            expected = [
                m
                for m in set(read_ages)
                if m < window and (after is None or m <= after) and (before is None or m >= before)
            ]
            assert len(returned) == (0 if vrm == "ZZ99ZZZ" else len(expected))
            raise Rollback
    except Rollback:
        pass


def _returned(via, user, params, api_client_for, sign_in_client):
    from django.utils.dateparse import parse_datetime

    if via == "api":
        response = api_client_for(user).get("/api/v1/reads/", params)
        assert response.status_code in {200, 403}
        return [parse_datetime(r["seen_at"]) for r in response.json().get("results", [])]
    client = sign_in_client(user, Client())
    response = client.post("/reads/", params)
    assert response.status_code in {200, 403}
    page = response.context.get("page")
    return [read.seen_at for read in (page.reads if page else [])]


@pytest.fixture
def django_settings(settings):
    return settings


def test_the_model_has_no_unscoped_manager_users_outside_the_selector():
    """No module but the selector (and ingest, which writes) names Read.objects."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[3]
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("apps/**/*.py")
        if "tests" not in path.parts
        and "Read.objects" in path.read_text()
        and path.name not in {"selectors.py", "services.py", "filters.py"}
    ]
    assert offenders == []
    assert Read._meta.default_permissions == ("view", "add")
