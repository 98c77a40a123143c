"""The auditor's pages."""

from django.core.paginator import Paginator
from django.shortcuts import render

from apps.accounts.access import requires

from .filters import SearchAuditFilter, SecurityEventFilter
from .selectors import search_audits, security_events


@requires("audit.view_securityevent")
def security_event_list(request):
    return _filtered_page(request, SecurityEventFilter, security_events(), "audit/security_events.html")


@requires("audit.view_searchaudit")
def search_audit_list(request):
    return _filtered_page(request, SearchAuditFilter, search_audits(), "audit/searches.html")


def _filtered_page(request, filter_class, queryset, template: str):
    rows = filter_class(request.GET or None, queryset=queryset)
    page = Paginator(rows.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"filter": rows, "page": page, "query": query.urlencode()})
