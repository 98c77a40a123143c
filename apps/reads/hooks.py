"""What the apps above reads tell it when they start (their AppConfig.ready), so reads never
imports them.

- `on_reads_stored`: what is raised from reads as ingest stores them. The hotlists app registers
  its matching (alerts, and cloned-plate suspicions of its hits, created inside ingest's own
  transaction, so a read is stored with its alerts or not at all), its live desk (told after
  commit) and what an in-vehicle unit's ingest reply may name. With nothing registered ingest
  refuses to store reads (ImproperlyConfigured), rather than store them and raise no alert: a
  wanted vehicle that never alerts is the failure that must not pass unseen.
- `read_alerts`: the alerts a read raised that a person may see, for the read's page. The hotlists
  app registers them; with nothing registered a read has none to show.
- `read_page_panels`: what other apps offer on a read's page, below its facts, each drawn by the
  app's own template (the cases app: file the read in a case folder). With nothing registered
  the page shows the read alone.
- `search_page_panels`: what other apps offer below a search's results, likewise (the cases app:
  file the search in a case folder). With nothing registered the page shows the results alone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class StoredRead:
    """A read as ingest has just stored it: what matching needs of it, and where it was made (its
    own position, sent by a vehicle-mounted camera; None for a fixed camera's)."""

    id: int
    seen_at: datetime
    camera_id: int
    vrm: str
    plate_image: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class OnReadsStored:
    """`raise_for(reads)`: inside ingest's transaction, creates what these stored reads raise and
    returns it (saved); `after_commit(raised)`: once that transaction has committed;
    `told_to_crew(raised)`: those of it an in-vehicle unit's ingest reply may name (what it says
    of each is reads' CrewAlertOutputSerializer)."""

    raise_for: Callable[[list[StoredRead]], list[Any]] = lambda reads: _unregistered()
    after_commit: Callable[[list[Any]], None] = lambda raised: _unregistered()
    told_to_crew: Callable[[list[Any]], list[Any]] = lambda raised: []

    def register(
        self,
        *,
        raise_for: Callable[[list[StoredRead]], list[Any]],
        after_commit: Callable[[list[Any]], None],
        told_to_crew: Callable[[list[Any]], list[Any]],
    ) -> None:
        self.raise_for, self.after_commit, self.told_to_crew = raise_for, after_commit, told_to_crew


on_reads_stored = OnReadsStored()


@dataclass
class ReadAlerts:
    """`of(user, read)`: the alerts this read raised that this user may see, each as a dict with
    the words to show (`summary`) and the address of the alert's page (`url`)."""

    of: Callable[[Any, Any], list[dict]] = lambda user, read: []

    def register(self, *, of: Callable[[Any, Any], list[dict]]) -> None:
        self.of = of


read_alerts = ReadAlerts()


@dataclass(frozen=True)
class Panel:
    """A part of a read's or a search's page drawn by another app: its template, given `panel` as
    its context."""

    template: str
    context: dict[str, Any]


@dataclass
class PagePanels:
    """`of(user, *about)`: the panels the registered apps offer this user on a page about `about`,
    in the order they registered. Each registers a callable taking the user and the same `about`
    that answers a Panel, or None to show nothing."""

    makers: list[Callable[..., Panel | None]] = field(default_factory=list)

    def register(self, maker: Callable[..., Panel | None]) -> None:
        if maker not in self.makers:  # ready() may run again in one process (tests)
            self.makers.append(maker)

    def of(self, user: Any, *about: Any) -> list[Panel]:
        return [panel for maker in self.makers if (panel := maker(user, *about)) is not None]


read_page_panels = PagePanels()  # of(user, read, search): a read, and the search it was opened under
search_page_panels = PagePanels()  # of(user, search): a search's results, by its audit record


def _unregistered() -> Any:
    raise ImproperlyConfigured("Nothing matches stored reads: the hotlists app has not registered.")
