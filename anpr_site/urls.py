"""Top-level URLs: the portal, the API, the admin site, the health check and the metrics."""

from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from apps.access_requests.api import AccessRequestViewSet
from apps.accounts.api import MeApi
from apps.assessments.api import AssessmentViewSet
from apps.cameras.api import CameraAccountViewSet, CameraViewSet
from apps.cases.api import CaseViewSet
from apps.hotlists.api import AlertViewSet, EntryViewSet, HotlistViewSet
from apps.observability.views import metrics
from apps.reads.api import ConvoyApi, JourneyApi, ReadsApi, ReadSearchApi, ScenesApi, SearchPurposesApi
from apps.recognition.api import VideoJobViewSet
from apps.transparency.api import TransparencyApi

from .api_docs import api_docs
from .health import healthz

# The admin site demands a verified second factor like the rest of the portal.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "ANPR back office administration"

# The portal's own error pages (the API's JSON shape under /api/), never Django's debug pages.
handler400 = "anpr_site.error_pages.bad_request"
handler403 = "anpr_site.error_pages.permission_denied"
handler404 = "anpr_site.error_pages.page_not_found"
handler500 = "anpr_site.error_pages.server_error"


router = SimpleRouter()
router.register("cameras", CameraViewSet, basename="cameras")
router.register("camera-accounts", CameraAccountViewSet, basename="camera-accounts")
router.register("hotlists", HotlistViewSet, basename="hotlists")
router.register(r"hotlists/(?P<hotlist_pk>\d+)/entries", EntryViewSet, basename="hotlist-entries")
router.register("alerts", AlertViewSet, basename="alerts")
router.register("access-requests", AccessRequestViewSet, basename="access-requests")
router.register("cases", CaseViewSet, basename="cases")
router.register("videos", VideoJobViewSet, basename="videos")
router.register("assessments", AssessmentViewSet, basename="assessments")

api_v1_patterns = [
    path("me/", MeApi.as_view(), name="me"),
    path("reads/", ReadsApi.as_view(), name="reads"),
    path("reads/search/", ReadSearchApi.as_view(), name="reads-search"),
    path("reads/convoy/", ConvoyApi.as_view(), name="reads-convoy"),
    path("reads/scenes/", ScenesApi.as_view(), name="reads-scenes"),
    path("reads/journey/", JourneyApi.as_view(), name="reads-journey"),
    path("transparency/", TransparencyApi.as_view(), name="transparency"),
    path("search-purposes/", SearchPurposesApi.as_view(), name="search-purposes"),
    *router.urls,
]

urlpatterns = [
    path("", include("apps.portal.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("audit/misuse-flags/", include("apps.misuse.urls")),
    path("audit/", include("apps.portal.audit_urls")),
    path("cameras/", include("apps.cameras.urls")),
    path("reads/", include("apps.reads.urls")),
    path("", include("apps.hotlists.urls")),
    path("access-requests/", include("apps.access_requests.urls")),
    path("cases/", include("apps.cases.urls")),
    path("videos/", include("apps.recognition.urls")),
    path("assessments/", include("apps.assessments.urls")),
    path("transparency/", include("apps.transparency.urls")),
    path("api/v1/", include((api_v1_patterns, "api"))),
    path("api/schema/", SpectacularJSONAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]
