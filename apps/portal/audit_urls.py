"""The auditor's pages, under /audit/ and the `audit` namespace as they always were."""

from django.urls import path

from . import audit_pages as views

app_name = "audit"
urlpatterns = [
    path("security-events/", views.security_event_list, name="security_events"),
    path("searches/", views.search_audit_list, name="searches"),
    path("changes/", views.change_log, name="change_log"),
    path("jobs/", views.jobs, name="jobs"),
]
