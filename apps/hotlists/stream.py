"""The live alert stream: server-sent events to each open alert page, for as long as its holder
may see them.

GET /alerts/stream/ sends the alerts the page missed (Last-Event-ID), then each new one this user
may see, within a second of commit. Both keep to the selectors' rules: the live desk only (no
historic hit), the read inside the user's access window. A page filtered by list, camera, status
or period asks with its filters (the same query as the page, apps/hotlists/filters.py): its stream
carries only the alerts those filters list. A catch-up that sends anything is audited
(`alerts_listed`, via "stream") before it is sent; the live events themselves are not, as each is
pushed to every officer on duty the moment it is raised (see `alerts_listed`).

Every ALERT_STREAM_CHECK_SECONDS the stream checks that its session still exists (not signed out,
not ended by an administrator), that the account is still active and still allowed to see alerts;
when any of that fails it sends `ended` and closes, so a signed-out, disabled or re-roled
officer's open page stops at once rather than at the session's end. A person may hold at most
ALERT_STREAMS_PER_USER streams open (tabs, screens).
"""

import asyncio
import json
import time
import uuid
from datetime import datetime

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from apps.accounts.access import requires
from apps.reads.selectors import SearchNotRecorded

from . import live
from .filters import AlertFilter
from .selectors import DESK, alerts_listed, desk_alerts

OPEN_STREAMS = "anpr:alert-streams:{user_id}"


@requires("hotlists.view_alert")
async def alert_stream(request):
    """Server-sent events: each new alert this user may see, as JSON, within a second of commit."""
    user_id, session_key = request.user.pk, request.session.session_key
    filters = await sync_to_async(_desk_filter)(request)
    if not filters.is_valid():
        refused = filters.form.errors.as_text()
        return HttpResponse(refused, status=400, content_type="text/plain; charset=utf-8")
    # Subscribed before the answer starts: the page shows "Live" when its headers arrive, and
    # an alert published in between would otherwise reach neither the stream nor `missed`.
    client, pubsub = await _subscribed()
    stream_id = uuid.uuid4().hex
    if not await _take_a_place(client, user_id, stream_id):
        await _give_up(client, pubsub, user_id, stream_id)
        return HttpResponse(
            f"At most {settings.ALERT_STREAMS_PER_USER} alert pages may be open at once; close one.",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    try:
        missed = await sync_to_async(_missed_events)(
            request.user, request.headers.get("Last-Event-ID", ""), filters
        )
    except SearchNotRecorded as failure:
        await _give_up(client, pubsub, user_id, stream_id)
        return HttpResponse(str(failure), status=503, content_type="text/plain; charset=utf-8")
    still_allowed = sync_to_async(_still_allowed)
    check = _Check(lambda: still_allowed(request.session, session_key, user_id), client, user_id, stream_id)
    # The stream also ends with the session (idle timeout); the page's reconnect then needs a sign-in.
    listed = _listed_by(filters)
    events = _events(client, pubsub, user_id, missed, request.session.get_expiry_date(), check, listed)
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["X-Accel-Buffering"] = "no"  # tell proxies not to buffer the stream
    return response


class _Check:
    """Every ALERT_STREAM_CHECK_SECONDS: may the stream go on? (and it keeps its place)."""

    def __init__(self, allowed, client, user_id: int, stream_id: str) -> None:
        self.allowed, self.client, self.user_id, self.stream_id = allowed, client, user_id, stream_id
        self.next_at = time.monotonic() + settings.ALERT_STREAM_CHECK_SECONDS

    async def why_not(self) -> str | None:
        if time.monotonic() < self.next_at:
            return None
        self.next_at = time.monotonic() + settings.ALERT_STREAM_CHECK_SECONDS
        await self.client.zadd(_key(self.user_id), {self.stream_id: time.time()})
        return await self.allowed()

    async def leave(self) -> None:
        await self.client.zrem(_key(self.user_id), self.stream_id)


async def _events(
    client, pubsub, user_id: int, missed: list[dict], ends_at: datetime, check: _Check, listed=None
):
    listed = listed or _always
    try:
        yield "retry: 2000\n\n"
        for event in missed:
            yield _sse(event)
        while timezone.now() < ends_at:
            if reason := await check.why_not():
                yield f"event: ended\ndata: {json.dumps({'reason': reason})}\n\n"
                return
            wait = min(15, settings.ALERT_STREAM_CHECK_SECONDS)
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=wait)
            if message is None:
                yield ": keep-alive\n\n"  # also lets the server notice a closed page
                continue
            event = json.loads(message["data"])
            if live.visible_to(event, user_id) and await listed(event["id"]):
                yield _sse(event)
    except asyncio.CancelledError:
        raise
    finally:
        await check.leave()
        await pubsub.aclose()
        await client.aclose()


async def _subscribed():
    """A Redis client and its subscription to the alert channel."""
    import redis.asyncio as redis

    client = redis.Redis.from_url(live.redis_url())
    pubsub = client.pubsub()
    await pubsub.subscribe(live.CHANNEL)
    return client, pubsub


async def _take_a_place(client, user_id: int, stream_id: str) -> bool:
    """Count this stream among the user's open ones, unless they hold as many as allowed. A stream
    whose server died stops renewing its place and no longer counts after three checks. Taken
    first and given back when over: streams opened at the same moment never all get in."""
    key, now = _key(user_id), time.time()
    await client.zremrangebyscore(key, 0, now - 3 * settings.ALERT_STREAM_CHECK_SECONDS)
    await client.zadd(key, {stream_id: now})
    await client.expire(key, 24 * 3600)
    if await client.zcard(key) > settings.ALERT_STREAMS_PER_USER:
        await client.zrem(key, stream_id)
        return False
    return True


async def _give_up(client, pubsub, user_id: int, stream_id: str) -> None:
    """Close a stream that will not start, freeing its place."""
    await client.zrem(_key(user_id), stream_id)
    await pubsub.aclose()
    await client.aclose()


def _key(user_id: int) -> str:
    return OPEN_STREAMS.format(user_id=user_id)


def _still_allowed(session, session_key: str, user_id: int) -> str | None:
    """Why the stream must end now, or None while its holder may still see alerts."""
    if not session_key or not session.exists(session_key):
        return "signed out"
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return "account disabled"
    if not user.has_perm("hotlists.view_alert"):
        return "no longer allowed to see alerts"
    return None


def _sse(event: dict) -> str:
    shown = {k: v for k, v in event.items() if k != "audience"}
    return f"event: alert\nid: {event['id']}\ndata: {json.dumps(shown)}\n\n"


def _desk_filter(request) -> AlertFilter:
    """The page's filters, checked (their choices are read from the database)."""
    filters = AlertFilter(request.GET, queryset=desk_alerts(request.user), request=request)
    filters.is_valid()
    return filters


def _listed_by(filters: AlertFilter):
    """Whether the page's filters list an alert: always on an unfiltered page, else asked of the
    database, which holds the alert by the time its event is published (after commit)."""
    if not filters.criteria:
        return _always
    return sync_to_async(lambda alert_id: filters.qs.filter(pk=alert_id).exists())


async def _always(alert_id: int) -> bool:
    return True


def _missed_events(user, last_seen: str, filters: AlertFilter | None = None) -> list[dict]:
    """The alerts a reconnecting page missed (those its filters list, if any), audited first."""
    if not last_seen.isdigit():
        return []
    listed = filters.qs if filters else desk_alerts(user)
    alerts = list(listed.filter(pk__gt=int(last_seen)).order_by("pk")[: settings.ALERTS_CATCH_UP_MAX])
    if alerts:
        further = {"after": int(last_seen)} | (filters.criteria if filters else {})
        alerts_listed(user, alerts=alerts, listing=DESK, further=further, via="stream")
    return [live.event_for(alert) for alert in alerts]
