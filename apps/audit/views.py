"""The auditor's pages."""

from django.core.paginator import Paginator
from django.shortcuts import render

from apps.accounts.access import requires

from .filters import SecurityEventFilter
from .selectors import security_events


@requires("audit.view_securityevent")
def security_event_list(request):
    events = SecurityEventFilter(request.GET or None, queryset=security_events())
    page = Paginator(events.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/security_events.html",
        {"filter": events, "page": page, "query": query.urlencode()},
    )
