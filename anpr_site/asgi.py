"""ASGI entry point (uvicorn): serves the portal and, later, its live event streams."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anpr_site.settings.production")

application = get_asgi_application()
