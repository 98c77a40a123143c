"""manage.py national_export --day YYYY-MM-DD: write what one day has not yet sent."""

from datetime import date

from django.core.management.base import BaseCommand

from apps.audit.jobs import recorded_run
from apps.reads.national_export_runs import export_day


class Command(BaseCommand):
    help = (
        "Write one UTC day's national export file, or a supplement of the reads it received since "
        "its last file; the daily job delivers it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", required=True, type=date.fromisoformat, help="YYYY-MM-DD (UTC)")

    def handle(self, *args, day: date, **options):
        with recorded_run("national-export") as details:
            details |= {"day": day.isoformat(), "by": "manage.py national_export"}
            name = export_day(day)
            details["written"] = [name] if name else []
        self.stdout.write(name or f"{day}: nothing received since its last file")
