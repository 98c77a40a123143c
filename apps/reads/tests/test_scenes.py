"""At the scenes: vehicles seen at several places and times, over /api/v1/reads/scenes/ and the
portal's page. The world: a burglary in North at 02:00 and a car park in South at 03:00, with a
third scene, a circle around camera EAST, at 04:00 (times as hours ago)."""

import pytest

from apps.audit.models import SearchAudit, SecurityEvent
from apps.cameras.tests.factories import CameraFactory
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE, ago

pytestmark = pytest.mark.django_db
URL = "/api/v1/reads/scenes/"


@pytest.fixture
def world():
    CameraFactory(code="NORTH-1", area="North")
    CameraFactory(code="SOUTH-1", area="South")
    CameraFactory(code="EAST-1", area="East", latitude=52.0, longitude=0.5)
    seen = [
        ("BOTH1", "NORTH-1", 10),  # hours ago
        ("BOTH1", "SOUTH-1", 9),
        ("ALL3", "NORTH-1", 10),
        ("ALL3", "SOUTH-1", 9),
        ("ALL3", "EAST-1", 8),
        ("NORTHO", "NORTH-1", 10),
        ("LATE1", "NORTH-1", 10),
        ("LATE1", "SOUTH-1", 3),  # at South, but not in its scene's time
        ("EASTS", "SOUTH-1", 9),
        ("EASTS", "EAST-1", 8),
    ]
    reads_ingest(
        items=[
            ReadInput(camera=code, vrm=vrm, seen_at=ago(hours=hours), confidence=0.9)
            for vrm, code, hours in seen
        ],
        source="upload",
    )


def scene(hours_ago: float, **place) -> dict:
    return {
        "seen_after": ago(hours=hours_ago + 0.5).isoformat(),
        "seen_before": ago(hours=hours_ago - 0.5).isoformat(),
        **place,
    }


SCENES = [
    lambda: scene(10, area="North"),
    lambda: scene(9, camera="SOUTH-1"),
    lambda: scene(8, near="52.0,0.5,1000"),
]


def ask(client, scenes, **more):
    return client.post(URL, {"scenes": scenes, **PURPOSE, **more}, format="json")


@pytest.fixture
def officer(make_user, api_client_for):
    return api_client_for(make_user("officer", username="pc-scenes"))


def vehicles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [vehicle["vrm"] for vehicle in response.json()["results"]]


def test_vehicles_at_every_scene(officer, world):
    assert vehicles(ask(officer, [SCENES[0](), SCENES[1]()])) == ["ALL3", "BOTH1"]
    assert vehicles(ask(officer, [make() for make in SCENES])) == ["ALL3"]


def test_vehicles_at_some_of_the_scenes_most_first(officer, world):
    response = ask(officer, [make() for make in SCENES], at_least=2)
    assert vehicles(response) == ["ALL3", "BOTH1", "EASTS"]
    first = response.json()["results"][0]
    assert first["scenes"] == [1, 2, 3] and first["scene_count"] == 3
    assert [(s["scene"], s["camera"]) for s in first["sightings"]] == [
        (1, "NORTH-1"),
        (2, "SOUTH-1"),
        (3, "EAST-1"),
    ]


def test_audited_once_with_every_scene(officer, world):
    response = ask(officer, [SCENES[0](), SCENES[1]()])
    audit = SearchAudit.objects.get()
    assert audit.pk == response.json()["search"]
    assert (audit.kind, audit.vrm, audit.result_count, audit.via) == ("scenes", "", 2, "api")
    assert [s.get("area") or s.get("camera") for s in audit.filters["scenes"]] == ["North", "SOUTH-1"]
    assert audit.filters["at_least"] == 2
    assert audit.filters["shown"] == ["ALL3", "BOTH1"]  # the plates that left, for an auditor


def test_the_window_holds_for_every_scene(officer, world):
    old = {
        "seen_after": ago(days=120).isoformat(),
        "seen_before": ago(days=119, hours=1).isoformat(),
        "area": "North",
    }
    assert ask(officer, [SCENES[0](), old]).status_code == 403
    assert SecurityEvent.objects.filter(username="pc-scenes", kind="search_refused").exists()
    assert not SearchAudit.objects.exists()


@pytest.mark.parametrize(
    ("scenes", "more", "fault"),
    [
        ([lambda: scene(10, area="North")], {}, "2 to 5 scenes"),
        ([lambda: scene(10, area="North")] * 6, {}, "2 to 5 scenes"),
        ([lambda: scene(10, area="North"), lambda: scene(9)], {}, "place on the map"),  # no place
        (
            [lambda: scene(10, area="North"), lambda: {**scene(9, area="South"), "vrm": "AB12CDE"}],
            {},
            "no other",
        ),
        (
            [
                lambda: scene(10, area="North"),
                lambda: {**scene(9, area="South"), "seen_after": ago(hours=40).isoformat()},
            ],
            {},
            "24 hours",
        ),
        ([lambda: scene(10, area="North"), lambda: scene(9, area="Nowhere")], {}, "No camera is in an area"),
        ([lambda: scene(10, area="North"), lambda: scene(9, area="South")], {"at_least": 3}, "from 2 to 2"),
        (
            [lambda: scene(10, area="North"), lambda: scene(9, area="South")],
            {"at_least": "two"},
            "whole number",
        ),
        ([lambda: scene(10, area="North"), lambda: scene(9, area="South")], {"reference": ""}, "reference"),
    ],
)
def test_bad_scenes_get_a_clear_400_and_no_search(officer, world, scenes, more, fault):
    response = ask(officer, [make() for make in scenes], **more)
    assert response.status_code == 400, response.content
    assert fault.lower() in str(response.json()).lower()
    assert not SearchAudit.objects.exists()


def test_malformed_bodies_are_a_400(officer, world):
    assert officer.post(URL, ["a", "list"], format="json").status_code == 400
    assert ask(officer, "North at ten").status_code == 400
    assert ask(officer, ["North", "South"]).status_code == 400
    assert ask(officer, [{"area": ["North"], "seen_after": {}}, SCENES[1]()]).status_code == 400


@pytest.mark.parametrize("role", ["planner", "auditor", "administrator"])
def test_only_those_who_search_reads_may_ask(make_user, api_client_for, world, role):
    assert ask(api_client_for(make_user(role)), [SCENES[0](), SCENES[1]()]).status_code == 403


def test_the_portal_page_finds_and_records_the_vehicles(make_user, sign_in_client, world):
    client = sign_in_client(make_user("officer", username="pc-portal"))
    assert "Find vehicles" in client.get("/reads/scenes/").content.decode()
    posted = {**PURPOSE, "at_least": "2"}
    for number, make in enumerate(SCENES, start=1):
        posted |= {f"scene{number}-{key}": value for key, value in make().items()}
    page = client.post("/reads/scenes/", posted)
    assert page.status_code == 200, page.content.decode()[:3000]
    text = page.content.decode()
    assert text.index("ALL3") < text.index("BOTH1") < text.index("EASTS") and "NORTHO" not in text
    assert SearchAudit.objects.get(username="pc-portal").kind == "scenes"
    blank_second = {key: value for key, value in posted.items() if not key.startswith(("scene2-", "scene3-"))}
    refused = client.post("/reads/scenes/", blank_second)
    assert refused.status_code == 400 and "2 to 5 scenes" in refused.content.decode()
