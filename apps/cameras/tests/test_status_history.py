"""A camera's status history: the database records every change of status or kind, whatever
path made it, and the upgrade rebuilt the history of existing cameras from the change log."""

import importlib

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps
from django.db import ProgrammingError, connection, transaction

from apps.cameras.models import Camera, CameraStatusChange
from apps.cameras.services import camera_create, camera_update
from apps.cameras.tests.factories import CameraFactory
from conftest import as_database_owner

pytestmark = pytest.mark.django_db


def history(camera):
    return list(CameraStatusChange.objects.filter(camera=camera).values_list("status", "kind"))


def test_every_change_of_status_or_kind_is_recorded_and_nothing_else():
    camera = camera_create(code="CAM-H1", name="Depot", kind="mobile", area="North")
    camera_update(camera=camera, name="Depot gate", road="A1")  # neither status nor kind
    camera_update(camera=camera, status=Camera.Status.LIVE)
    camera_update(camera=camera, status=Camera.Status.SUSPENDED)
    camera_update(camera=camera, kind=Camera.Kind.FIXED, latitude=51.5, longitude=-0.1)
    assert history(camera) == [
        ("proposed", "mobile"),
        ("live", "mobile"),
        ("suspended", "mobile"),
        ("suspended", "fixed"),
    ]


def test_a_change_made_outside_the_services_is_recorded_too():
    camera = CameraFactory(status=Camera.Status.LIVE)
    Camera.objects.filter(pk=camera.pk).update(status=Camera.Status.SUSPENDED)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cameras_camera SET status = 'live' WHERE id = %s", [camera.pk])
    assert history(camera) == [("live", "fixed"), ("suspended", "fixed"), ("live", "fixed")]


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO cameras_camerastatuschange (camera_id, status, kind, since) "
        "VALUES (%s, 'live', 'fixed', now())",
        "UPDATE cameras_camerastatuschange SET status = 'proposed' WHERE camera_id = %s",
        "DELETE FROM cameras_camerastatuschange WHERE camera_id = %s",
    ],
)
def test_the_application_may_not_write_the_history(statement):
    camera = CameraFactory()
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [camera.pk])
    assert history(camera) == [("live", "fixed")]


def test_a_temporary_table_of_the_same_name_does_not_take_the_history():
    camera = CameraFactory(status=Camera.Status.SUSPENDED)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE cameras_camerastatuschange (LIKE public.cameras_camerastatuschange)"
        )
        cursor.execute("UPDATE cameras_camera SET status = 'live' WHERE id = %s", [camera.pk])
        cursor.execute("SELECT count(*) FROM pg_temp.cameras_camerastatuschange")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE pg_temp.cameras_camerastatuschange")
    assert history(camera) == [("suspended", "fixed"), ("live", "fixed")]


def test_the_upgrade_rebuilds_each_cameras_history_from_the_change_log():
    upgrade = importlib.import_module("apps.cameras.migrations.0003_camera_status_history")
    logged = camera_create(code="CAM-H2", name="Depot", kind="mobile", area="North")
    camera_update(camera=logged, status=Camera.Status.LIVE)
    camera_update(camera=logged, name="Renamed")
    camera_update(camera=logged, status=Camera.Status.SUSPENDED)
    with disable_auditlog():  # as if the change log had passed audit retention
        unlogged, partly = CameraFactory(), CameraFactory()
    camera_update(camera=partly, status=Camera.Status.SUSPENDED)
    everything = history(logged)
    with as_database_owner():  # the upgrade runs as the owner
        CameraStatusChange.objects.all().delete()
        upgrade.history_from_change_log(apps, None)

    assert history(logged) == everything
    logged_at = [
        entry.timestamp
        for entry in LogEntry.objects.get_for_object(logged).order_by("timestamp")
        if "status" in entry.changes_dict
    ]
    assert list(CameraStatusChange.objects.filter(camera=logged).values_list("since", flat=True)) == logged_at
    assert history(unlogged) == [("live", "fixed")]  # as it stands, from the upgrade on
    assert history(partly) == [("suspended", "fixed")]  # from the first change the log holds
