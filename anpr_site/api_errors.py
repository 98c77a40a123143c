"""One JSON shape for every API error: {"error": code, "detail": message or field errors}.

A Django ValidationError raised by a service (model validation, a workflow refusal) is a
client error like any other: 400 with its messages, not a 500. A database that cannot be
reached (restarting, failed over) is 503 with Retry-After, so a camera gateway knows to post
the same batch again rather than give it up.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailable(APIException):
    status_code = 503
    default_code = "unavailable"
    default_detail = "The database cannot be reached just now; nothing was stored. Try again shortly."


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, OperationalError | InterfaceError):
        log.exception("API request failed: database unavailable")
        exc = DatabaseUnavailable()
        exc.wait = RETRY_AFTER_SECONDS  # DRF sends it as Retry-After
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    code = getattr(exc, "default_code", "error")
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        detail = detail["detail"]
    response.data = {"error": code, "detail": detail}
    return response


# Every operation can answer with these; the schema says so, in this one shape.
ERROR_RESPONSES = {
    "400": "The request is malformed or refused (detail: the reason, or errors by field).",
    "401": "No valid token or signed-in session.",
    "403": "Your role or scope does not allow this.",
    "404": "No such object among those you may see.",
    "405": "Method not allowed.",
    "413": "The request body is too large.",
    "415": "Unsupported media type.",
    "503": "A required service is unavailable (the database, or for a search the audit trail); "
    "nothing was stored: try again after Retry-After seconds.",
}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "detail": {}},
    "required": ["error", "detail"],
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: add the common error answers to every operation in the schema."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description, "content": reference})
    return result
