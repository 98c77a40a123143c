"""Why a search is made: the purposes a force lists, and the reference every search cites.

The one home of these rules. The portal's search pages, the API and the auditor's filters all
ask here; the lists come from the settings SEARCH_PURPOSES, SEARCH_REFERENCE_PATTERN and
SEARCH_REFERENCE_RULE, read when asked so a force's own take effect without a code change.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

OTHER = "other"
DETAIL_MAX_LENGTH = 500


@dataclass(frozen=True)
class StatedPurpose:
    """A search's purpose as checked: a listed code, a description (for `other` only), a reference."""

    code: str
    detail: str | None
    reference: str


def purpose_choices() -> list[tuple[str, str]]:
    """(code, label) of every purpose a search may name, in the force's order."""
    return [(code, label) for code, label in settings.SEARCH_PURPOSES]


def purpose_label(code: str) -> str:
    """The label of a purpose code; a code no longer listed (or an older free-text purpose) as it is."""
    return dict(purpose_choices()).get(code, code)


def purpose_shown(code: str, detail: str | None) -> str:
    """How pages name a search's purpose: its label, and for `other` what the officer wrote."""
    label = purpose_label(code)
    return f"{label}: {detail}" if detail else label


def state_purpose(*, purpose: str, reference: str, detail: str | None = None) -> StatedPurpose:
    """Check what a search states about itself; raises ValidationError with a message per field.

    A description is asked for only with `other`; given with another purpose it is not recorded
    (a form may still hold one typed before the officer chose a listed purpose)."""
    errors: dict[str, str] = {}
    code = (purpose or "").strip()
    codes = [listed for listed, _ in purpose_choices()]
    if code not in codes:
        errors["purpose"] = (
            f"Choose one of the listed purposes ({', '.join(codes)}); "
            f"for anything else choose '{OTHER}' and describe it."
        )
    detail = (detail or "").strip() or None
    if code != OTHER:
        detail = None
    elif detail is None:
        errors["purpose_detail"] = "Describe the purpose: 'Other' needs a few words saying why."
    elif len(detail) > DETAIL_MAX_LENGTH:
        errors["purpose_detail"] = f"Describe the purpose in at most {DETAIL_MAX_LENGTH} characters."
    reference = (reference or "").strip()
    if not re.fullmatch(settings.SEARCH_REFERENCE_PATTERN, reference):
        errors["reference"] = f"Give the incident, crime or case number as {settings.SEARCH_REFERENCE_RULE}."
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})
    return StatedPurpose(code=code, detail=detail, reference=reference)
