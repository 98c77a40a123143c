"""Demo cameras around a fictional county, for `make run` only."""

from apps.accounts.demo import GATEWAY
from apps.accounts.models import User
from apps.accounts.tokens import api_token_issue, api_tokens_revoke_all

from .bindings import camera_account_bind
from .models import Camera
from .services import camera_create

# code, name, road, direction, area, latitude, longitude, kind, status
CAMERAS = [
    (
        "DEMO-01",
        "A6 Northbound at Thurmaston",
        "A6",
        "northbound",
        "North",
        52.6731,
        -1.0949,
        "fixed",
        "live",
    ),
    (
        "DEMO-02",
        "A6 Southbound at Thurmaston",
        "A6",
        "southbound",
        "North",
        52.6728,
        -1.0955,
        "fixed",
        "live",
    ),
    ("DEMO-03", "M1 J21 slip road", "M1", "eastbound", "West", 52.6200, -1.1960, "fixed", "live"),
    ("DEMO-04", "A47 Uppingham Road", "A47", "westbound", "East", 52.6420, -1.0800, "fixed", "live"),
    ("DEMO-05", "A50 Groby Road", "A50", "southbound", "West", 52.6560, -1.1630, "fixed", "live"),
    (
        "DEMO-06",
        "A594 Ring road at St Margaret's",
        "A594",
        "clockwise",
        "City",
        52.6410,
        -1.1330,
        "fixed",
        "live",
    ),
    ("DEMO-07", "A426 Lutterworth Road", "A426", "northbound", "South", 52.5980, -1.1460, "fixed", "live"),
    ("DEMO-08", "B667 Station Road", "B667", "eastbound", "South", 52.5800, -1.1200, "fixed", "suspended"),
    (
        "DEMO-09",
        "Proposed: A563 Hinckley Road",
        "A563",
        "westbound",
        "West",
        52.6290,
        -1.1880,
        "fixed",
        "proposed",
    ),
    ("DEMO-10", "Roads policing unit van 1", "", "", "County", None, None, "mobile", "live"),
]


def seed(*, out) -> None:
    created = 0
    for code, name, road, direction, area, latitude, longitude, kind, status in CAMERAS:
        if not Camera.objects.filter(code=code).exists():
            camera_create(
                code=code,
                name=name,
                road=road,
                direction=direction,
                area=area,
                latitude=latitude,
                longitude=longitude,
                kind=kind,
                # A fixed camera goes live only through its approved assessment (assessments/demo.py).
                status=Camera.Status.PROPOSED if kind == Camera.Kind.FIXED else status,
            )
            created += 1
    out.write(f"Demo cameras: {len(CAMERAS)} ({created} new)")
    _gateway_token(out)


def _gateway_token(out) -> None:
    """The demo gateway posts for every demo camera; a fresh token each start (only hashes are
    kept, so an earlier one cannot be shown again), the previous demo tokens revoked."""
    gateway = User.objects.get(username=GATEWAY)
    camera_account_bind(account=gateway, camera_codes=[row[0] for row in CAMERAS], actor=None)
    api_tokens_revoke_all(user=gateway, actor=None, reason="demo restarted")
    _, secret = api_token_issue(user=gateway, actor=None, label="demo gateway")
    out.write(f"\nCamera gateway API token: {secret}")
    out.write(f"  ({GATEWAY}, posts for every demo camera; a new token at each start)\n")
