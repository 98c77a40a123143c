"""Rules of the read store written once: where a read was made, and what a capture must be."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cameras.models import Camera
from apps.reads.models import Read
from apps.reads.services import capture_faults


def test_a_read_is_where_it_says_else_where_its_camera_stands():
    fixed = Camera(code="CAM-F", latitude=52.0, longitude=-1.0)
    assert Read(camera=fixed).position == (52.0, -1.0)
    assert Read(camera=fixed, latitude=53.5, longitude=-2.5).position == (53.5, -2.5)
    assert Read(camera=Camera(code="CAM-M")).position is None


@pytest.mark.parametrize(
    ("status", "source", "refused"),
    [
        (Camera.Status.LIVE, Read.Source.CAMERA, False),
        (Camera.Status.SUSPENDED, Read.Source.CAMERA, True),
        (Camera.Status.SUSPENDED, Read.Source.VIDEO, False),
        (Camera.Status.PROPOSED, Read.Source.VIDEO, True),
        (Camera.Status.PROPOSED, Read.Source.UPLOAD, True),
    ],
)
def test_which_cameras_may_capture_for_which_source(status, source, refused):
    now = timezone.now()
    camera = Camera(code="CAM-S", status=status, kind=Camera.Kind.FIXED)
    faults = capture_faults(
        camera, code="CAM-S", seen_at=now, latitude=None, longitude=None, source=source, now=now
    )
    assert ("camera" in faults) is refused


def test_a_capture_is_neither_in_the_future_nor_older_than_its_source_allows(settings):
    now = timezone.now()
    camera = Camera(code="CAM-V", status=Camera.Status.LIVE, kind=Camera.Kind.MOBILE)

    def faults(seen_at, source=Read.Source.CAMERA, **position):
        return capture_faults(camera, code="CAM-V", seen_at=seen_at, source=source, now=now, **position)

    placed = {"latitude": 52.0, "longitude": -1.0}
    assert faults(now, **placed) == {}
    assert set(faults(now, latitude=None, longitude=None)) == {"latitude"}
    assert "future" in faults(now + timedelta(hours=1), **placed)["seen_at"]
    old = now - timedelta(days=settings.READ_FEED_MAX_AGE_DAYS + 1)
    assert "seen_at" in faults(old, **placed)
    assert faults(old, source=Read.Source.VIDEO, **placed) == {}
    assert set(
        capture_faults(
            None, code="NOPE", seen_at=now, latitude=None, longitude=None, source=Read.Source.CAMERA, now=now
        )
    ) == {"camera"}
