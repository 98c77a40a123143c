"""Reads of hotlists and alerts, scoped to the user.

Covert lists and their hits: owners only, decided by the list's flag as it is now (a list made
covert hides its earlier hits too). `alerts_visible_to` and `hit_audience` are that one rule,
used by the pages, the API, the live stream and its catch-up, and the ingest reply.
"""

from datetime import datetime

from django.db.models import Q, QuerySet

from apps.core.months import count_per_month

from .models import Alert, Hotlist, HotlistEntry

MANAGE_ALL = "hotlists.change_hotlist"


def hotlists_visible_to(user) -> QuerySet[Hotlist]:
    if not user.has_perm("hotlists.view_hotlist"):
        return Hotlist.objects.none()
    if user.has_perm(MANAGE_ALL):
        return Hotlist.objects.all()
    return Hotlist.objects.filter(Q(covert=False) | Q(owners=user)).distinct()


def may_manage_entries(user, hotlist: Hotlist) -> bool:
    """Administrators manage every list's entries; owners manage their own list's."""
    return user.has_perm(MANAGE_ALL) or hotlist.owners.filter(pk=user.pk).exists()


def entries_of(hotlist: Hotlist, *, vrm: str = "") -> QuerySet[HotlistEntry]:
    entries = hotlist.entries.all()
    return entries.filter(vrm__startswith=vrm.upper()) if vrm else entries


def alerts_visible_to(user) -> QuerySet[Alert]:
    if not user.has_perm("hotlists.view_alert"):
        return Alert.objects.none()
    owned = Hotlist.objects.filter(owners=user).values("pk")
    return Alert.objects.filter(Q(hotlist__covert=False) | Q(hotlist__in=owned)).select_related(
        "hotlist", "camera"
    )


def hit_audience(hotlist: Hotlist) -> frozenset[int] | None:
    """Who may be told of this list's hits: everyone with sight of alerts (None) or, while the
    list is covert, only its owners (their user ids)."""
    if not hotlist.covert:
        return None
    return frozenset(hotlist.owners.values_list("id", flat=True))


def read_quality(camera) -> dict:
    """Outcomes officers recorded on this camera's alerts: how often its reads were false."""
    outcomes = Alert.objects.filter(camera=camera).exclude(outcome="")
    total = outcomes.count()
    false = outcomes.filter(outcome=Alert.Outcome.FALSE_READ).count()
    return {"outcomes": total, "false_reads": false, "false_rate": false / total if total else None}


def alerts_per_month(since: datetime) -> dict[str, dict]:
    """Hits since a moment per UTC month of the hit, covert lists' included (counts only): every
    hit, those acted on (an outcome recorded), and per outcome."""
    alerts = Alert.objects.filter(created_at__gte=since)
    acted_on = alerts.exclude(outcome="")
    return {
        "hits": count_per_month(alerts, "created_at"),
        "acted_on": count_per_month(acted_on, "created_at"),
        "outcomes": count_per_month(acted_on, "created_at", by="outcome"),
    }
