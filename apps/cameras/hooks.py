"""What the apps above cameras tell it, registered when they start (their AppConfig.ready), so
cameras never imports them.

- `go_live`: the go-live check. A fixed camera may be live only under an approved assessment of
  its site; the assessments app answers. With nothing registered no fixed camera may go live,
  and every camera counts as assessed (so none is relabelled out of its reviews).
- `camera_page_facts`: what a camera's page shows from other apps (its assessment, whether its
  review is overdue, the quality of its reads), each a function of the camera, by context name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class GoLiveCheck:
    """`approved_assessment_for(camera)`: what it may be live under, or None;
    `was_assessed(camera)`: whether it was ever put forward as a fixed site."""

    approved_assessment_for: Callable[[Any], Any | None] = lambda camera: None
    was_assessed: Callable[[Any], bool] = lambda camera: True

    def register(self, *, approved_assessment_for: Callable, was_assessed: Callable) -> None:
        self.approved_assessment_for, self.was_assessed = approved_assessment_for, was_assessed


go_live = GoLiveCheck()
camera_page_facts: dict[str, Callable[[Any], Any]] = {}
