"""Checking reads against every active, unexpired hotlist entry, one query per batch.

A read matches an entry exactly (same normalised plate) or as a look-alike (same plate once
confusable characters are folded: 0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G). Look-alike alerts
rank one priority lower. Called by reads.services.reads_ingest inside its transaction (through
reads.hooks.on_reads_stored and ingest.py, registered in HotlistsConfig.ready), only for reads
just stored, so each read raises each alert once.

Only the plate is matched. A read's vehicle colour (apps/core/colours.py) never raises or holds
back a hit: the estimate is often unknown or wrong, and a wanted vehicle may have been
resprayed. StoredRead, all that matching is given of a read, does not carry it.

A read that arrives already older than ALERT_LIVE_MAX_AGE_MINUTES (a back-load, last month's
video) raises historic alerts: the vehicle is long gone, so nobody on the street can act and the
live desk is not rung; the list's owners find them on Historic hits.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from apps.core.plates import lookalike_key
from apps.reads.hooks import StoredRead

from .models import Alert, HotlistEntry


def raise_alerts(reads: list[StoredRead]) -> list[Alert]:
    """Create the alerts these newly stored reads raise; returns them (saved)."""
    if not reads:
        return []
    keys = {lookalike_key(read.vrm) for read in reads}
    now = timezone.now()
    entries = (
        HotlistEntry.objects.filter(hotlist__active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        # Exact matches share the key too. One array, not an IN list of thousands of parameters
        # for a large batch (a back-load), which took longer to build than the query to run.
        .filter(lookalike__in=RawSQL("SELECT unnest(%s::varchar[])", [sorted(keys)]))
        .select_related("hotlist")
    )
    by_key: dict[str, list[HotlistEntry]] = defaultdict(list)
    for entry in entries:
        by_key[entry.lookalike].append(entry)
    live_since = now - timedelta(minutes=settings.ALERT_LIVE_MAX_AGE_MINUTES)
    alerts = [
        _alert(read, entry, historic=read.seen_at < live_since)
        for read in reads
        for entry in by_key.get(lookalike_key(read.vrm), [])
    ]
    return Alert.objects.bulk_create(alerts)


def _alert(read: StoredRead, entry: HotlistEntry, *, historic: bool) -> Alert:
    exact = entry.vrm == read.vrm
    return Alert(
        read_id=read.id,
        read_seen_at=read.seen_at,
        vrm=read.vrm,
        plate_image=read.plate_image,
        camera_id=read.camera_id,
        hotlist=entry.hotlist,
        entry=entry,
        entry_vrm=entry.vrm,
        reason=entry.reason,
        action=entry.action,
        markers=entry.markers,
        information=entry.information,
        match=Alert.Match.EXACT if exact else Alert.Match.LOOKALIKE,
        priority=entry.hotlist.priority + (0 if exact else 1),
        historic=historic,
    )
