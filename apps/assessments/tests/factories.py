"""A complete assessment case, for tests to start from."""

from datetime import date

from apps.assessments import services


def complete_case(**overrides) -> dict:
    case = {
        "need": "Travelling burglars use the A6 corridor.",
        "factors": {
            "national_security": {"weight": "none", "argument": "", "evidence": ""},
            "serious_crime": {
                "weight": "high",
                "argument": "Organised burglary.",
                "evidence": "42 linked crimes.",
            },
            "local_crime": {"weight": "medium", "argument": "Vehicle crime.", "evidence": "Monthly figures."},
            "community": {"weight": "low", "argument": "Residents ask for it.", "evidence": "Survey 2026."},
        },
        "alternatives": "Patrols cover it a few hours a week.",
        "expected_benefit": "Arrests and recoveries, measured quarterly.",
        "data_captured": "Plates, images, time and place.",
        "people_affected": "All drivers passing.",
        "necessity": "No less intrusive means covers the route.",
        "proportionality": "One lane, footpath masked.",
        "retention": "Two years, standard.",
        "signage": "Signs on both approaches.",
        "residual_risk": "low",
        "risks": [
            {
                "description": "Reads of uninvolved drivers.",
                "likelihood": "probable",
                "severity": "significant",
                "mitigation": "90-day window, audit.",
                "residual": "low",
            }
        ],
        "consultations": [
            {
                "consultee": "Parish council",
                "consulted_on": date(2026, 3, 2),
                "said": "Supports it.",
                "response": "Thanked.",
            }
        ],
    }
    return case | overrides


def submitted_assessment(camera, author, **overrides):
    assessment = services.assessment_create(camera=camera, author=author, **complete_case(**overrides))
    return services.assessment_submit(assessment=assessment, actor=author)
