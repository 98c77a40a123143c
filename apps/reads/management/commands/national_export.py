"""manage.py national_export --day YYYY-MM-DD: write (or rewrite) one day's national export."""

from datetime import date

from django.core.management.base import BaseCommand

from apps.audit.jobs import recorded_run
from apps.reads.national_export import export_day


class Command(BaseCommand):
    help = "Export one UTC day's reads to the national data centre format (replacing that day's file)."

    def add_arguments(self, parser):
        parser.add_argument("--day", required=True, type=date.fromisoformat, help="YYYY-MM-DD (UTC)")

    def handle(self, *args, day: date, **options):
        with recorded_run("national-export") as details:
            details |= {"day": day.isoformat(), "by": "manage.py national_export"}
            manifest = export_day(day)
            details |= {key: manifest[key] for key in ("file", "rows", "bytes", "sha256")}
        self.stdout.write(f"{manifest['file']}: {manifest['rows']} reads, sha256 {manifest['sha256']}")
