from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("security-events/", views.security_event_list, name="security_events"),
    path("searches/", views.search_audit_list, name="searches"),
    path("changes/", views.change_log, name="change_log"),
    path("jobs/", views.jobs, name="jobs"),
]
