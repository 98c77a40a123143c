"""A world for case folders: reads with and without images at one camera, officers who search
them, and a helper that files a read as an officer opens it from their own search."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cameras.tests.factories import CameraFactory
from apps.cases import services
from apps.reads.evidence import check_image
from apps.reads.filters import ReadFilter
from apps.reads.models import Read
from apps.reads.selectors import reads_search
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE, image_bytes


@dataclass
class Folders:
    owner: object
    colleague: object
    camera: object

    def search(self, user, vrm: str, **criteria):
        """The user's search for a plate; its audit record."""
        filters = ReadFilter({"vrm": vrm, **criteria})
        assert filters.is_valid(), filters.errors
        return reads_search(user, filters=filters, **PURPOSE).audit

    def read(self, vrm: str) -> Read:
        return Read.objects.get(vrm=vrm)

    def file(self, case, vrm: str, *, by=None, note: str = ""):
        """File the read of this plate as `by` (the owner) opens it from a search of theirs."""
        actor = by or self.owner
        read = self.read(vrm)
        search = self.search(actor, vrm)
        return services.case_read_file(
            case=case, actor=actor, search_id=search.pk, day=read.day, read_id=read.id, note=note
        )

    def case(self, **fields):
        return services.case_create(owner=self.owner, **({"title": "Ram raid", **PURPOSE} | fields))


@pytest.fixture
def folders(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    camera = CameraFactory(code="CAM-CF", area="Case town")
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(
                camera=camera.code,
                vrm="CF12AAA",
                seen_at=now - timedelta(hours=1),
                confidence=0.93,
                plate_image=check_image(image_bytes()),
                overview_image=check_image(image_bytes(size=(640, 480), colour=(20, 60, 90))),
            ),
            ReadInput(camera=camera.code, vrm="CF12BBB", seen_at=now - timedelta(days=2), confidence=0.8),
            ReadInput(camera=camera.code, vrm="CF12CCC", seen_at=now - timedelta(days=3), confidence=0.7),
        ],
        source="camera",
    )
    return Folders(
        owner=make_user("officer", username="pc-owner"),
        colleague=make_user("officer", username="pc-colleague"),
        camera=camera,
    )
