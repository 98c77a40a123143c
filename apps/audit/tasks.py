"""The audit trail's own scheduled job: verify the chains daily and checkpoint their heads."""

import logging

from celery import shared_task

from .chain import ChainBroken, verify_chains, write_checkpoint
from .jobs import recorded_run

log = logging.getLogger(__name__)
VERIFY_JOB = "audit-verify"


@shared_task
def verify_audit_chains() -> None:
    """Walk every chain; when intact, write a checkpoint (file and this run's record); when not,
    the run fails naming the first broken row."""
    with recorded_run(VERIFY_JOB) as details:
        verification = verify_chains()
        details.update(verification.as_record(days=False))
        if not verification.intact:
            log.critical("The audit trail is broken: %s", verification.problem)
            raise ChainBroken(verification.problem)
        details["checkpoint"] = write_checkpoint(verification).name
