"""Demo assessments: each demo fixed camera that has been live is assessed, submitted by the
planner and approved by the supervisor (which puts it live); one review is overdue, and the
proposed camera has a draft."""

from datetime import date, timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.cameras.demo import CAMERAS
from apps.cameras.models import Camera
from apps.cameras.services import camera_update

from . import services
from .models import Assessment

OVERDUE = "DEMO-05"


def seed(*, out) -> None:
    planner, supervisor = User.objects.get(username="planner"), User.objects.get(username="supervisor")
    approved = 0
    for code, name, *_, kind, status in CAMERAS:
        camera = Camera.objects.get(code=code)
        if kind != "fixed" or camera.assessments.exists():
            continue
        assessment = services.assessment_create(camera=camera, author=planner, **demo_case(name))
        if status == "proposed":
            continue  # left as a draft for the planner to finish
        services.assessment_submit(assessment=assessment, actor=planner)
        services.assessment_approve(
            assessment=assessment,
            approver=supervisor,
            reason="Need shown by the crime figures; risks mitigated.",
        )
        approved += 1
        if status == "suspended":  # went live once, since suspended
            camera_update(camera=camera, status=status, review_due=None)
    overdue = Camera.objects.get(code=OVERDUE)
    if overdue.review_due and overdue.review_due >= timezone.localdate():
        camera_update(camera=overdue, review_due=timezone.localdate() - timedelta(days=20))
    out.write(
        f"Demo assessments: {Assessment.objects.count()} ({approved} newly approved; "
        f"{OVERDUE}'s review overdue)"
    )


def demo_case(name: str) -> dict:
    return {
        "need": f"Vehicle crime and travelling offenders on the {name} corridor.",
        "factors": {
            "national_security": {
                "weight": "low",
                "argument": "Route to a port.",
                "evidence": "CT intelligence.",
            },
            "serious_crime": {
                "weight": "high",
                "argument": "Used by organised acquisitive crime groups.",
                "evidence": "42 linked burglaries in 12 months (crime system extract).",
            },
            "local_crime": {
                "weight": "medium",
                "argument": "Vehicle crime above the force average.",
                "evidence": "Monthly vehicle crime figures for the area.",
            },
            "community": {"weight": "none", "argument": "", "evidence": ""},
        },
        "alternatives": "Mobile ANPR patrols: cover the corridor a few hours a week only.",
        "expected_benefit": "Detect and disrupt linked vehicles; measured by arrests and recoveries.",
        "data_captured": "Plates, plate and overview images, time, place; no occupants by design.",
        "people_affected": "Everyone driving past: residents, commuters, visitors.",
        "necessity": "Offenders use this route; no less intrusive means covers it continuously.",
        "proportionality": "One lane, one direction; overview crop excludes footpaths.",
        "retention": "Reads two years (national standard); searches beyond 90 days need approval.",
        "signage": "ANPR in use signs on both approaches.",
        "residual_risk": "low",
        "risks": [
            {
                "description": "Reads of people with no link to crime are kept and could be searched.",
                "likelihood": "possible",
                "severity": "significant",
                "mitigation": "90-day standard window; purpose and audit for every search.",
                "residual": "low",
            }
        ],
        "consultations": [
            {
                "consultee": "Parish council",
                "consulted_on": date(2026, 3, 2),
                "said": "Supports it; asks for signage.",
                "response": "Signs added on both approaches.",
            }
        ],
    }
