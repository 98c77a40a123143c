"""Hotlists and entries for tests, made through the services like everything else."""

from apps.hotlists import services


def make_hotlist(owner, name="Stolen vehicles", **fields):
    fields = {"source": "national", "priority": 1, "active": True, "covert": False} | fields
    return services.hotlist_create(actor=owner, name=name, **fields)


def add_entry(hotlist, vrm, actor, **fields):
    fields = {"reason": "stolen", "action": "stop"} | fields
    return services.entry_create(hotlist=hotlist, vrm=vrm, actor=actor, **fields)
