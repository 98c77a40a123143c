"""Demo video for `make run`: generated traffic with hotlisted plates, queued for recognition.

The video worker recognises it as soon as `make run` starts, so the alert desk shows hits from
video as well as from the demo camera feed.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.utils import timezone

from apps.accounts.models import User

from . import services
from .models import VideoJob
from .synthetic import Passage, make_video

NAME = "demo-traffic.mp4"
PASSAGES = [
    Passage("GF70PXR", 0.0),
    Passage("AB12CDE", 1.6, colour=(30, 30, 30)),  # on the demo stolen-vehicles hotlist
    Passage("M44DAV", 3.4, colour=(150, 150, 150), rear=True),
    Passage("KX19ZTP", 5.2, colour=(30, 120, 30)),  # on the demo hotlist: no insurance
    Passage("LB07SEO", 7.0, colour=(20, 90, 200), rear=True),
]


def seed(*, out) -> None:
    if VideoJob.objects.filter(original_name=NAME).exists():
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / NAME
        make_video(path, PASSAGES)
        with path.open("rb") as stream:
            job, _ = services.video_job_create(
                upload=File(stream, name=NAME),
                camera_code="DEMO-01",
                recorded_at=timezone.now() - timedelta(minutes=10),
                uploaded_by=User.objects.get(username="officer"),
            )
    out.write(f"Demo video {NAME} queued for recognition: /videos/{job.pk}/")
