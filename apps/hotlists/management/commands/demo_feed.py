"""A pretend camera feed for `make run`: a few reads every few seconds, now and then a hotlisted one."""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from apps.cameras.models import Camera
from apps.hotlists.demo import LISTED
from apps.reads.services import ReadInput, reads_ingest


class Command(BaseCommand):
    help = "Post demo reads from the live demo cameras so the alert page has something to show."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=20, help="seconds between batches")

    def handle(self, *args, interval: float, **options) -> None:
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Refused in these settings (production).")
        rng = random.Random()
        cameras = list(Camera.objects.filter(status="live", kind="fixed").values_list("code", flat=True))
        listed = [row[0] for row in LISTED]
        while True:
            vrms = [
                f"DF{rng.randrange(10, 99)}{rng.choice('ABCDEFGH')}{rng.choice('JKLMNPRS')}X"
                for _ in range(rng.randrange(1, 5))
            ]
            if rng.random() < 0.35:
                vrms.append(rng.choice(listed))
            try:
                result = reads_ingest(
                    items=[
                        ReadInput(
                            camera=rng.choice(cameras),
                            vrm=v,
                            seen_at=timezone.now(),
                            confidence=round(rng.uniform(0.8, 0.99), 2),
                        )
                        for v in vrms
                    ],
                    source="camera",
                )
                self.stdout.write(
                    f"demo feed: {result.stored} reads, {len(result.alerts)} alerts", ending="\n"
                )
                self.stdout.flush()
            except Exception as error:  # noqa: BLE001  (a demo feed keeps going; honcho would stop everything)
                self.stderr.write(f"demo feed: {error}")
                close_old_connections()
            time.sleep(interval)
