"""An officer uploads a video, watches it being recognised, and opens the reads it produced."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.cameras.tests.factories import CameraFactory
from apps.recognition.tests.helpers import PASSAGES, short_video

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_officer_uploads_a_video_watches_progress_and_opens_its_reads(
    make_user, sign_in_page, celery_worker, tmp_path
):
    CameraFactory(code="CAM-DASH", name="Patrol car dash-cam")
    video = short_video(tmp_path)
    page = sign_in_page(make_user("officer"))
    page.get_by_test_id("navigation").get_by_role("link", name="Video recognition").click()
    page.get_by_label("Video", exact=True).set_input_files(str(video))
    page.get_by_label("Camera").select_option("CAM-DASH")
    recorded = timezone.localtime(timezone.now() - timedelta(minutes=30))
    page.get_by_label("Recording started").fill(recorded.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="Upload and recognise").click()

    page.wait_for_url("**/videos/*/")
    progress = page.locator("#job-progress")
    seen = {int(progress.get_attribute("value"))}
    page.wait_for_function(
        "() => { const v = +document.querySelector('#job-progress').value;"
        " window.__seen = (window.__seen || []).concat(v); return document.querySelector('#job-status')"
        ".textContent === 'Done'; }",
        polling=200,
        timeout=120_000,
    )
    seen |= set(page.evaluate("window.__seen"))
    assert int(progress.get_attribute("value")) == 100
    assert len(seen) >= 2  # the bar moved while the page was open, without a reload
    assert page.locator("#job-reads-found").inner_text() == "2"

    page.get_by_role("button", name="Search the reads from this video").click()
    page.get_by_label("Purpose", exact=True).select_option(label="Road traffic offence or collision")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_test_id("results")
    assert sorted(results.locator(".vrm").all_inner_texts()) == sorted(p.vrm for p in PASSAGES)
    results.get_by_role("link", name="Open").first.click()
    facts = page.get_by_test_id("read-facts").inner_text()
    assert "CAM-DASH" in facts
    assert "Video recognition" in facts
    expect(page.locator("img.evidence-plate")).to_have_js_property("complete", True)
    assert page.locator("img.evidence-plate").evaluate("img => img.naturalWidth") > 0
