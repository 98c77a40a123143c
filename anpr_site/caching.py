"""Nothing the application answers is kept by browsers or proxies.

Pages, API answers, exports, evidence images and the alert stream carry plates, places and
times: `Cache-Control: no-store` on all of them, so none stays in a shared machine's browser
cache, its back button or a proxy. Only the static assets (CSS, scripts, icons) may be cached.
"""

from collections.abc import Callable

from django.conf import settings


class NoStoreMiddleware:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix):
            response["Cache-Control"] = "no-store"
        return response
