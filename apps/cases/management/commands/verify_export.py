"""`python manage.py verify_export FILE`: check an evidential package (apps/cases/package_seal.py):
its seal, then every file against its manifest. Exit 0 when it verifies; 1 listing each file
missing, added or altered, and a seal that does not match."""

from django.core.management.base import BaseCommand, CommandError

from apps.cases.package_seal import package_checked


class Command(BaseCommand):
    help = "Check an evidential package from a case folder: its seal and every file's SHA-256."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The package (a .zip file) as received.")

    def handle(self, *args, file: str, **options) -> None:
        verdict = package_checked(file)
        if verdict.faults:
            # What the package says of itself is not repeated until it verifies.
            for fault in verdict.faults:
                self.stderr.write(f"  {_printable(fault)}")
            raise CommandError(f"{file} does not verify: {len(verdict.faults)} fault(s), listed above.")
        manifest = verdict.manifest or {}
        case = manifest.get("case") or {}
        said = (
            f"Case folder {case.get('reference')} ({case.get('title')}), exported by "
            f"{manifest.get('exported_by')} at {manifest.get('exported_at')} under purpose "
            f"{manifest.get('purpose_label')}; {manifest.get('reads')} reads, {verdict.checked} files listed."
        )
        self.stdout.write(_printable(said))
        self.stdout.write(
            self.style.SUCCESS(
                f"{file} verifies: every file matches its manifest, and the seal shows this system made it."
            )
        )


def _printable(text: str) -> str:
    # Names and titles come from the package: no control characters reach the terminal.
    return "".join(character if character.isprintable() else "?" for character in text)
