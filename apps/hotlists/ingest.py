"""What reads just stored raise here, registered with reads' `on_reads_stored` (HotlistsConfig):
their alerts (matching.py) and, for those hits, cloned-plate suspicions (cloned_plates.py)."""

from apps.reads.hooks import StoredRead

from .cloned_plates import suspect_clones
from .matching import raise_alerts
from .models import Alert


def raised_by(reads: list[StoredRead]) -> list[Alert]:
    """The alerts these reads raise (saved), their suspicions recorded with them; ingest is told
    of the alerts only, which its after-commit steps and reply take as before."""
    alerts = raise_alerts(reads)
    suspect_clones(reads, alerts)
    return alerts
