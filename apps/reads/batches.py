"""Turn a posted batch (API JSON or CSV rows) into checked reads, or report every fault in it."""

from .serializers import ReadInputSerializer
from .services import BatchRejected, ReadInput, check_batch


def parse_batch(raw_items: list, *, source: str) -> list[ReadInput]:
    """All items well-formed and acceptable, or BatchRejected naming each bad item and field."""
    reads: list[tuple[int, ReadInput]] = []
    errors: dict[int, dict] = {}
    for index, item in enumerate(raw_items):
        if not isinstance(item, dict):
            errors[index] = {"item": ["Each read is a JSON object."]}
            continue
        serializer = ReadInputSerializer(data=item)
        if serializer.is_valid():
            reads.append((index, serializer.to_read_input()))
        else:
            errors[index] = serializer.errors
    for position, fields in check_batch([read for _, read in reads], source=source).items():
        errors[reads[position][0]] = fields
    if errors:
        raise BatchRejected(dict(sorted(errors.items())))
    return [read for _, read in reads]
