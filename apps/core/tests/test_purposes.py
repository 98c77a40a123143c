"""A search's purpose and reference: listed codes, a description for `other`, the force's pattern."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.purposes import purpose_label, purpose_shown, state_purpose


def refusal(**stated) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        state_purpose(**stated)
    return refused.value.message_dict


def test_a_listed_purpose_and_a_reference_pass_trimmed():
    stated = state_purpose(purpose=" intelligence ", reference=" CR/123-45 ")
    assert (stated.code, stated.detail, stated.reference) == ("intelligence", None, "CR/123-45")


def test_an_unknown_purpose_is_refused_naming_the_listed_codes():
    errors = refusal(purpose="Stolen vehicle enquiry", reference="INC-1")
    assert list(errors) == ["purpose"]
    assert "intelligence" in errors["purpose"][0] and "other" in errors["purpose"][0]


def test_other_needs_a_description_and_keeps_it():
    assert list(refusal(purpose="other", reference="INC-1", detail="   ")) == ["purpose_detail"]
    stated = state_purpose(purpose="other", reference="INC-1", detail=" Welfare check ")
    assert stated.detail == "Welfare check"
    assert list(refusal(purpose="other", reference="INC-1", detail="x" * 501)) == ["purpose_detail"]


def test_a_description_with_a_listed_purpose_is_not_recorded():
    assert state_purpose(purpose="drugs", reference="INC-1", detail="left in the form").detail is None


@pytest.mark.parametrize("reference", ["", "AB", "INC 42", "INC-42;DROP", "x" * 41, "ÄB-12"])
def test_a_reference_must_match_the_pattern_whole(reference):
    errors = refusal(purpose="intelligence", reference=reference)
    assert errors == {
        "reference": [
            "Give the incident, crime or case number as 3 to 40 letters, digits, hyphens and slashes."
        ]
    }


def test_a_force_sets_its_own_purposes_and_reference_rule(settings):
    settings.SEARCH_PURPOSES = [("fraud", "Fraud"), ("other", "Other (described)")]
    settings.SEARCH_REFERENCE_PATTERN = r"^CR\d{6}$"
    settings.SEARCH_REFERENCE_RULE = "CR and six digits"
    assert state_purpose(purpose="fraud", reference="CR123456").code == "fraud"
    assert set(refusal(purpose="intelligence", reference="CR12")) == {"purpose", "reference"}
    assert "CR and six digits" in refusal(purpose="fraud", reference="INC-1")["reference"][0]


def test_labels_for_pages():
    assert purpose_label("road-traffic") == "Road traffic offence or collision"
    assert purpose_label("An older free-text purpose") == "An older free-text purpose"
    assert purpose_shown("other", "Welfare check") == "Other (described): Welfare check"
    assert purpose_shown("drugs", None) == "Drugs offence"
