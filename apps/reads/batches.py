"""Turn a posted batch (API JSON or CSV rows) into checked reads, or report every fault in it."""

from typing import Any

from django.utils import timezone
from rest_framework.exceptions import ValidationError

from .serializers import ReadInputSerializer, plain_read_input, read_input
from .services import BatchRejected, ReadInput, batch_check


def parse_batch(raw_items: list, *, source: str) -> list[ReadInput]:
    """All items well-formed and acceptable, or BatchRejected naming each bad item and field."""
    reads, errors = well_formed(raw_items)
    for position, fields in batch_check([read for _, read in reads], source=source).items():
        errors[reads[position][0]] = fields
    if errors:
        raise BatchRejected(dict(sorted(errors.items())))
    return [read for _, read in reads]


def well_formed(raw_items: list) -> tuple[list[tuple[int, ReadInput]], dict[int, Any]]:
    """The items that are well-formed reads, by index, and the faults of those that are not; whether
    the database accepts them (cameras, times) is batch_check's to say."""
    reads: list[tuple[int, ReadInput]] = []
    errors: dict[int, Any] = {}
    # One serializer validates every item: building one per item costs more than the insert.
    serializer = ReadInputSerializer()
    zone = timezone.get_current_timezone()
    for index, item in enumerate(raw_items):
        if not isinstance(item, dict):
            errors[index] = {"item": ["Each read is a JSON object."]}
        elif plain := plain_read_input(item, zone):
            reads.append((index, plain))
        else:
            try:
                reads.append((index, read_input(serializer.run_validation(item))))
            except ValidationError as invalid:
                errors[index] = invalid.detail
    return reads, errors
