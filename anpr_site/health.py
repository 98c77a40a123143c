"""A health check for load balancers and `make run`: is the database answering?"""

from django.db import connection
from django.http import JsonResponse

from apps.accounts.access import public


@public
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001  (any failure means unhealthy, and says nothing more)
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
