"""The hooks through which higher apps serve lower ones: filled in every process, and closed
when empty (a lost registration must fail loudly, never quietly weaken a rule)."""

from importlib import import_module

import pytest
from celery import current_app
from django.core.exceptions import ImproperlyConfigured

from apps.cameras.hooks import GoLiveCheck, go_live
from apps.hotlists.ingest import raised_by
from apps.hotlists.live import publish
from apps.reads.hooks import OnReadsStored, on_reads_stored


def test_the_apps_fill_the_hooks_when_they_start():
    assert on_reads_stored.raise_for is raised_by  # alerts, and their cloned-plate suspicions
    assert on_reads_stored.after_commit is publish
    assert go_live.approved_assessment_for is not GoLiveCheck.approved_assessment_for


def test_an_empty_ingest_hook_refuses_rather_than_raise_no_alert():
    empty = OnReadsStored()
    with pytest.raises(ImproperlyConfigured):
        empty.raise_for([])
    with pytest.raises(ImproperlyConfigured):
        empty.after_commit([])
    assert empty.told_to_crew([]) == []


def test_an_empty_go_live_check_lets_nothing_live_and_counts_every_camera_assessed():
    empty = GoLiveCheck()
    assert empty.approved_assessment_for(object()) is None
    assert empty.was_assessed(object()) is True


def test_retention_still_answers_to_its_name_before_it_moved():
    import_module("apps.portal.tasks")  # as a worker's autodiscovery does
    assert "apps.portal.tasks.apply_retention" in current_app.tasks
    assert "apps.reads.tasks.apply_retention" in current_app.tasks
