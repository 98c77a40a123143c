"""The auditor's pages: the audit trail read under the accounts' access policy, and the jobs page
(with the oldest read held, from the read store). Their URLs stay under /audit/ (audit_urls.py)."""

from datetime import timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.access import requires
from apps.audit.changes import as_shown, change_entries
from apps.audit.filters import ChangeLogFilter, SearchAuditFilter, SecurityEventFilter
from apps.audit.jobs import scheduled_jobs
from apps.audit.models import JobRun
from apps.audit.selectors import search_audits, security_events
from apps.reads.selectors import oldest_read_held


@requires("audit.view_securityevent")
def security_event_list(request):
    return _filtered_page(request, SecurityEventFilter, security_events(), "audit/security_events.html")


@requires("audit.view_searchaudit")
def search_audit_list(request):
    return _filtered_page(request, SearchAuditFilter, search_audits(), "audit/searches.html")


@requires("audit.view_searchaudit", "auditlog.view_logentry")
def change_log(request):
    """Who changed what in the records (django-auditlog), secrets and withheld positions masked."""
    return _filtered_page(
        request,
        ChangeLogFilter,
        change_entries(),
        "audit/change_log.html",
        shown=lambda entries: as_shown(entries, request.user),
    )


def _filtered_page(request, filter_class, queryset, template: str, shown=None):
    rows = filter_class(request.GET or None, queryset=queryset)
    page = Paginator(rows.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": rows, "page": page, "query": query.urlencode()}
    if shown is not None:
        context["entries"] = shown(page.object_list)
    return render(request, template, context)


@requires("audit.view_jobrun")
def jobs(request):
    """Scheduled jobs (last run, outcome, next run), recent runs, and the oldest read held."""
    return render(
        request,
        "audit/jobs.html",
        {
            "jobs": scheduled_jobs(),
            "runs": JobRun.objects.all()[:50],
            "oldest_read": oldest_read_held(),
            "retention_days": settings.READ_RETENTION_DAYS,
            "oldest_allowed": timezone.now() - timedelta(days=settings.READ_RETENTION_DAYS),
        },
    )
