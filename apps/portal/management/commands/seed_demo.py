"""Load demonstration data: every app's demo.py, in app order. Refused outside local and test."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create demo users (one per role), and each app's demo data; print the credentials."

    def handle(self, *args, **options) -> None:
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Demo data is refused in these settings (production).")
        for config in apps.get_app_configs():
            # Each app's seed is idempotent and commits as it goes: two years of reads would
            # hold too many partition locks in one transaction.
            if config.name.startswith("apps.") and find_spec(f"{config.name}.demo"):
                import_module(f"{config.name}.demo").seed(out=self.stdout)
