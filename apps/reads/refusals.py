"""A refused opening of reads (the hour's allowance spent, or the audit row not written) as a page
or file would have been answered: plain text, 429 with Retry-After or 503. Used by every app
whose pages or files open reads."""

from django.http import HttpResponse

from .selectors import SearchNotRecorded, SearchThrottled


def refused_plainly(refused: SearchThrottled | SearchNotRecorded) -> HttpResponse:
    """What the refusal says, as text, with the status that tells a client what to do."""
    throttled = isinstance(refused, SearchThrottled)
    response = HttpResponse(
        str(refused), status=429 if throttled else 503, content_type="text/plain; charset=utf-8"
    )
    if isinstance(refused, SearchThrottled):
        response["Retry-After"] = str(refused.retry_after)
    return response
