"""GET /metrics: the operators' metrics in Prometheus' text format.

For a monitoring server holding METRICS_TOKEN, or an administrator signed in to the portal;
everyone else is refused (apps/accounts/access.py).
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from apps.accounts.access import bearer_token_or

from .metrics import exposition


@bearer_token_or("METRICS_TOKEN", "observability.view_metrics")
@require_GET
def metrics(request):
    body, content_type = exposition(request.headers.get("Accept", ""))
    return HttpResponse(body, content_type=content_type)
