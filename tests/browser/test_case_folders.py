"""A case folder from first read to evidential package in the browser: an officer searches, opens a
read, starts a folder with it and shares it; the colleague opens the folder and exports it; the
package verifies."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.reads.evidence import check_image
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import image_bytes
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_files_a_read_shares_the_folder_and_the_colleague_exports_it(
    make_user, sign_in_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    CameraFactory(code="CAM-CASE", area="Case town")
    reads_ingest(
        items=[
            ReadInput(
                camera="CAM-CASE",
                vrm="CS12FLD",
                seen_at=timezone.now() - timedelta(minutes=20),
                confidence=0.95,
                plate_image=check_image(image_bytes()),
                overview_image=check_image(image_bytes(size=(640, 480), colour=(30, 30, 120))),
            )
        ],
        source="camera",
    )
    officer = make_user("officer", username="pc-finder")
    make_user("officer", username="pc-partner")

    page = sign_in_page(officer)
    page.get_by_role("link", name="Search reads").first.click()
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("OP-FALCON")
    page.get_by_label("Plate").fill("CS12FLD")
    page.get_by_role("button", name="Search").click()
    page.get_by_test_id("results").get_by_role("link", name="Open").first.click()
    assert serious_violations(page) == []  # the read's page with its filing panel
    filing = page.get_by_test_id("file-read")
    filing.get_by_label("New case folder's title").fill("Falcon: the stolen van")
    filing.get_by_role("button", name="Start a case folder with this read").click()
    assert (
        "Case folder OP-FALCON: Falcon: the stolen van" in page.get_by_role("heading", level=1).inner_text()
    )
    assert "CS12FLD" in page.get_by_test_id("case-reads").inner_text()
    page.get_by_label("Colleague's username").fill("pc-partner")
    page.get_by_role("button", name="Share", exact=True).click()
    assert page.get_by_test_id("members").inner_text() == "pc-partner"
    assert serious_violations(page) == []  # the folder's page with its sharing panel
    page.get_by_role("button", name="Sign out").click()

    page = sign_in_page(type(officer).objects.get(username="pc-partner"))
    page.get_by_role("link", name="Case folders").first.click()
    page.get_by_test_id("cases").get_by_role("link", name="OP-FALCON").click()
    assert "CS12FLD" in page.get_by_test_id("case-reads").inner_text()
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Export evidential package").click()
    download = downloading.value
    assert download.suggested_filename.startswith("case-OP-FALCON-") and download.suggested_filename.endswith(
        ".zip"
    )
    package = tmp_path / download.suggested_filename
    download.save_as(package)
    out = io.StringIO()
    call_command("verify_export", str(package), stdout=out, stderr=io.StringIO())
    assert "verifies" in out.getvalue() and "pc-partner" in out.getvalue()
    # Every step is in the trail (images aside, which load as they will): the search, the read
    # opened, opened again to file it, the folder on each showing, then the export.
    steps = SearchAudit.objects.filter(reference="OP-FALCON").exclude(kind="image").order_by("id")
    assert list(steps.values_list("kind", "username")) == [
        ("search", "pc-finder"),
        ("view", "pc-finder"),
        ("view", "pc-finder"),
        ("case", "pc-finder"),
        ("case", "pc-finder"),
        ("case", "pc-partner"),
        ("evidence", "pc-partner"),
    ]
