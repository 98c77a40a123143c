"""`python manage.py audit_verify`: walk every audit chain; exit 0 when intact, 1 naming the
first row that does not match (apps/audit/chain.py)."""

from django.core.management.base import BaseCommand, CommandError

from apps.audit.chain import verify_chains, write_checkpoint


class Command(BaseCommand):
    help = "Check the audit trail's hash chains and its checkpoints; exit 1 naming the first broken row."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="When intact, also record the chains' heads in a new checkpoint file.",
        )

    def handle(self, *args, checkpoint: bool = False, **options) -> None:
        verification = verify_chains()
        for head in verification.heads:
            self.stdout.write(f"{head.table}: {head.rows} rows, up to place {head.seq}")
        if not verification.intact:
            raise CommandError(f"The audit trail is broken: {verification.problem}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Every audit chain is intact and matches its {verification.checkpoints} checkpoints."
            )
        )
        if checkpoint:
            self.stdout.write(f"Checkpoint written: {write_checkpoint(verification)}")
