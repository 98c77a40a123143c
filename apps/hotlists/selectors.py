"""Reads of hotlists and alerts, scoped to the user. Covert lists and their hits: owners only."""

from django.db.models import Q, QuerySet

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
    return Alert.objects.filter(Q(covert=False) | Q(hotlist__in=owned)).select_related("hotlist", "camera")


def read_quality(camera) -> dict:
    """Outcomes officers recorded on this camera's alerts: how often its reads were false."""
    outcomes = Alert.objects.filter(camera=camera).exclude(outcome="")
    total = outcomes.count()
    false = outcomes.filter(outcome=Alert.Outcome.FALSE_READ).count()
    return {"outcomes": total, "false_reads": false, "false_rate": false / total if total else None}
