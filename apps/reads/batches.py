"""Turn a posted batch (API JSON or CSV rows) into checked reads, or report every fault in it."""

from typing import Any

from rest_framework.exceptions import ValidationError

from .serializers import ReadInputSerializer, read_input
from .services import BatchRejected, ReadInput, batch_check


def parse_batch(raw_items: list, *, source: str) -> list[ReadInput]:
    """All items well-formed and acceptable, or BatchRejected naming each bad item and field."""
    reads: list[tuple[int, ReadInput]] = []
    errors: dict[int, Any] = {}
    # One serializer validates every item: building one per item costs more than the insert.
    serializer = ReadInputSerializer()
    for index, item in enumerate(raw_items):
        if not isinstance(item, dict):
            errors[index] = {"item": ["Each read is a JSON object."]}
            continue
        try:
            reads.append((index, read_input(serializer.run_validation(item))))
        except ValidationError as invalid:
            errors[index] = invalid.detail
    for position, fields in batch_check([read for _, read in reads], source=source).items():
        errors[reads[position][0]] = fields
    if errors:
        raise BatchRejected(dict(sorted(errors.items())))
    return [read for _, read in reads]
