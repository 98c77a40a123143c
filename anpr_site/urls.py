"""Top-level URLs: the portal, the API, the admin site and the health check."""

from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularJSONAPIView

from apps.accounts import views as account_views
from apps.accounts.api import MeApi

from .api_docs import api_docs
from .health import healthz

# The admin site demands a verified second factor like the rest of the portal.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "ANPR back office administration"

portal_patterns = ([path("", account_views.home, name="home")], "portal")

api_v1_patterns = [
    path("me/", MeApi.as_view(), name="me"),
]

urlpatterns = [
    path("", include(portal_patterns)),
    path("accounts/", include("apps.accounts.urls")),
    path("audit/", include("apps.audit.urls")),
    path("api/v1/", include((api_v1_patterns, "api"))),
    path("api/schema/", SpectacularJSONAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
