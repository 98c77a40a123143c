"""Live alerts: published to Redis once their read is committed, streamed to open portal pages.

Each officer's page holds a server-sent event stream (GET /alerts/stream/). A covert list's
alert goes only to that list's owners. A page that reconnects sends Last-Event-ID and first
receives the alerts it missed, from the database, so a dropped connection loses nothing.

Only alerts that ring the desk are sent (`ringing`): a historic hit, whose read arrived already
older than ALERT_LIVE_MAX_AGE_MINUTES, is neither streamed nor told back to a patrol car.
"""

import json
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.core.redis_urls import redis_py_url
from apps.core.times import shown
from apps.reads.access_window import standard_grant

from .models import Alert
from .selectors import hit_audience, may_be_told

CHANNEL = "anpr:alerts"
log = logging.getLogger(__name__)


def publish(alerts: list[Alert]) -> None:
    """Tell every open alert page (after commit). A Redis failure is logged, never raised:
    the alerts are stored, and pages catch up from the database when they reconnect."""
    alerts = ringing(alerts)
    if not alerts:
        return
    try:
        import redis

        # Short timeouts: a Redis that accepts but never answers must not hold the ingest reply
        # (redis-py waits for ever by default).
        client = redis.Redis.from_url(redis_url(), socket_connect_timeout=1, socket_timeout=1)
        for alert in alerts:
            client.publish(CHANNEL, json.dumps(event_for(alert)))
    except Exception:
        log.exception("could not publish %d live alert(s)", len(alerts))


def ringing(alerts: list[Alert]) -> list[Alert]:
    """The alerts that ring the live desk (stream, patrol car's reply): all but historic hits."""
    return [alert for alert in alerts if not alert.historic]


def told_to_crew(alerts: list[Alert]) -> list[Alert]:
    """Which of these alerts an in-vehicle unit's ingest reply names: those that ring, of lists
    that are not covert (a crew is no list's owner)."""
    return [alert for alert in ringing(alerts) if may_be_told(hit_audience(alert.hotlist), user_id=None)]


def event_for(alert: Alert) -> dict:
    """What an alert page shows, plus who may see it (`audience`: None for everyone, else the
    covert list's owners), by the list's flag at the moment the alert is sent."""
    return {
        "id": alert.pk,
        "vrm": alert.vrm,
        "entry_vrm": alert.entry_vrm,
        "match": alert.match,
        "priority": alert.priority,
        "hotlist": alert.hotlist.name,
        "reason": alert.get_reason_display(),
        "action": alert.get_action_display(),
        "markers": alert.markers,
        "camera": alert.camera.code,
        "area": alert.camera.area,
        "seen_at": alert.read_seen_at.isoformat(),
        "seen": shown(alert.read_seen_at),  # written as the page writes its own rows' times
        "status": alert.status_shown,
        "url": reverse("hotlists:alert_detail", args=[alert.pk]),
        "plate_image": reverse("hotlists:alert_plate", args=[alert.pk]) if alert.plate_image else None,
        "audience": _as_list(hit_audience(alert.hotlist)),
    }


def visible_to(event: dict, user_id: int) -> bool:
    """Whether this user's stream may carry the event: the list's audience, and the read inside
    the standard access window (a live read always is; the check keeps the stream to the rule
    whatever ALERT_LIVE_MAX_AGE_MINUTES is set to)."""
    if not may_be_told(event["audience"], user_id):
        return False
    seen_at = parse_datetime(event["seen_at"])
    return seen_at is not None and seen_at >= standard_grant(timezone.now()).start


def _as_list(audience: frozenset[int] | None) -> list[int] | None:
    return None if audience is None else sorted(audience)


def redis_url() -> str:
    """The Redis that carries live alerts: ALERTS_REDIS_URL, else Celery's broker."""
    return redis_py_url(settings.ALERTS_REDIS_URL or settings.CELERY_BROKER_URL)
