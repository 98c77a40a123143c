"""The browsable API documentation: a portal page for signed-in staff (machines read the schema)."""

from django.conf import settings
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularSwaggerSplitView

from apps.accounts.access import signed_in

_swagger_ui = SpectacularSwaggerSplitView.as_view(url_name="api-schema")


# Swagger UI sets inline styles as it renders; scripts stay locked down. (Settings are untyped:
# the stubs cannot see that SECURE_CSP maps names to lists.)
@csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})  # type: ignore[dict-item]
@signed_in
def api_docs(request):
    return _swagger_ui(request)
