"""Demo hotlists for `make run`: a national stolen list, local intelligence, a covert operation."""

import random

from apps.accounts.models import User

from . import services
from .models import Hotlist

# vrm, list, reason, action, markers, information
LISTED = [
    (
        "AB12CDE",
        "PNC stolen vehicles",
        "stolen",
        "stop",
        ["violent"],
        "Stolen in a burglary; occupants may be armed.",
    ),
    ("KX19ZTP", "PNC stolen vehicles", "no_insurance", "stop", [], "No insurance on record."),
    (
        "LR68WNN",
        "Local intelligence",
        "intelligence",
        "observe",
        [],
        "Linked to a drugs line; note occupants.",
    ),
    (
        "YD21OKM",
        "Operation Nightjar",
        "intelligence",
        "record",
        [],
        "Covert interest: record only, do not stop.",
    ),
]


def seed(*, out) -> None:
    if Hotlist.objects.filter(name="PNC stolen vehicles").exists():
        out.write("Demo hotlists: already loaded")
        return
    admin = User.objects.get(username="administrator")
    supervisor = User.objects.get(username="supervisor")
    lists = {
        "PNC stolen vehicles": services.hotlist_create(
            actor=admin, name="PNC stolen vehicles", source="national", priority=1
        ),
        "Local intelligence": services.hotlist_create(
            actor=admin, name="Local intelligence", source="local", priority=2
        ),
        "Operation Nightjar": services.hotlist_create(
            actor=supervisor, name="Operation Nightjar", source="intelligence", priority=2, covert=True
        ),
    }
    for vrm, name, reason, action, markers, information in LISTED:
        services.entry_create(
            hotlist=lists[name],
            vrm=vrm,
            reason=reason,
            action=action,
            markers=markers,
            information=information,
            actor=admin,
        )
    rng = random.Random(4)
    letters = "ABCDEFGHJKLMNOPRSTUVWXY"
    bulk: list[services.EntryRow] = [
        {
            "vrm": f"{rng.choice(letters)}{rng.choice(letters)}{rng.randrange(10, 99)}"
            f"{''.join(rng.choice(letters) for _ in range(3))}",
            "reason": rng.choice(["stolen", "no_insurance", "no_tax", "wanted"]),
            "action": rng.choice(["stop", "observe"]),
        }
        for _ in range(5000)
    ]
    result = services.entries_import(
        hotlist=lists["PNC stolen vehicles"], rows=bulk, replace=False, actor=admin
    )
    out.write(
        f"Demo hotlists: 3 ({result.added + len(LISTED):,} entries; Operation Nightjar is covert, "
        "owned by supervisor)"
    )
