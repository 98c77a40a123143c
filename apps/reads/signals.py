"""What the read store tells apps above it, so they can react (metrics) without reads importing them.

Both are sent only for what really happened: `reads_ingested` once a batch is committed,
`search_answered` once a search's audit row is written.
"""

from django.dispatch import Signal

# A batch was stored and committed: `source` (a Read.Source), `stored` (new reads, duplicates
# left out) and `alerts` (the hotlists.models.Alert rows it raised, live and historic).
reads_ingested = Signal()

# A search was answered: `kind` (a SearchAudit.Kind), `via` ("portal" or "api") and `seconds`,
# from the search being asked to its matches counted and its audit row written.
search_answered = Signal()
