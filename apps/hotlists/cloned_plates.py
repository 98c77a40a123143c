"""Cloned-plate suspicions: on ingest, each exact hit's read is compared with its plate's previous
read, and where the vehicle would have had to go faster than JOURNEY_IMPLAUSIBLE_KMH to be at both
(apps/reads/journey.py) a suspicion is recorded against the alert, for the list's owners to review.

Only plates on a hotlist are checked. A suspicion needs someone to review it, and a list's owners
are those who know the vehicle: whether it is the stolen car, or the innocent one whose plate a
stolen car carries. It also keeps the check off the path of almost every read: a batch with no
exact hit costs nothing, one with hits one query (apps/reads/selectors.py `previous_reads`).

Look-alike hits are not checked: the plate read is not the listed one, and its previous reads
are some other vehicle's. The previous read is the latest one before, within
CLONED_PLATE_LOOKBACK_HOURS; a read that arrives late is compared with the one before it, not
with one seen after it that arrived first.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from apps.reads.hooks import StoredRead
from apps.reads.journey import Leg, leg
from apps.reads.models import Read
from apps.reads.selectors import previous_reads

from .models import Alert, ClonedPlateSuspicion

log = logging.getLogger(__name__)


def suspect_clones(reads: list[StoredRead], alerts: list[Alert]) -> list[ClonedPlateSuspicion]:
    """Record a suspicion for each exact hit among `alerts` (just raised by `reads`) whose read was
    too far from its plate's previous read for the time between; returns them (saved).

    Inside ingest's transaction, but never its undoing: it runs in a savepoint, and any failure is
    logged and given up, the reads and their alerts stored all the same. A read sent again is not
    stored again, so it raises no alert and no second suspicion."""
    exact = [alert for alert in alerts if alert.match == Alert.Match.EXACT]
    if not exact:
        return []
    try:
        with transaction.atomic():
            return _recorded(reads, exact)
    except Exception:
        log.exception("cloned-plate check of %d hit(s) failed; the reads and alerts are stored", len(exact))
        return []


def _recorded(reads: list[StoredRead], alerts: list[Alert]) -> list[ClonedPlateSuspicion]:
    hits = {(alert.read_id, alert.read_seen_at) for alert in alerts}
    checked = [read for read in reads if (read.id, read.seen_at) in hits]
    within = timedelta(hours=settings.CLONED_PLATE_LOOKBACK_HOURS)
    jumps = {
        (read.id, read.seen_at): jump
        for previous, read in previous_reads(checked, within=within)
        if (jump := leg(previous, read)).implausible
    }
    suspicions = [
        _suspicion(alert, jumps[(alert.read_id, alert.read_seen_at)])
        for alert in alerts
        if (alert.read_id, alert.read_seen_at) in jumps
    ]
    return ClonedPlateSuspicion.objects.bulk_create(suspicions)


def _suspicion(alert: Alert, jump: Leg[Read]) -> ClonedPlateSuspicion:
    assert jump.distance_km is not None  # an implausible leg has a distance
    return ClonedPlateSuspicion(
        alert=alert,
        earlier_read_id=jump.start.id,
        earlier_read_seen_at=jump.start.seen_at,
        earlier_camera_id=jump.start.camera_id,
        distance_km=jump.distance_km,
        elapsed_s=jump.elapsed_s,
        speed_kmh=jump.speed_kmh,
    )
