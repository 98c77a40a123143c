"""ASGI entry point (uvicorn, gunicorn's uvicorn workers): the portal, the API and live event
streams, behind the request body limits (anpr_site/body_limits.py)."""

import os

from django.core.asgi import get_asgi_application

from .body_limits import BodyLimitMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anpr_site.settings.production")

# The stubs type ASGIHandler's send as taking any Mapping; messages here are dicts, as ASGI says.
application = BodyLimitMiddleware(get_asgi_application())  # type: ignore[arg-type]
