"""Finding 11: Leaflet tooltips rendered camera names as HTML on the maps.

static/js/map.js handed Leaflet's bindTooltip a string, which Leaflet sets as innerHTML, so a
camera registered with markup in its name put that markup into every map viewer's page (the
CSP's nonce kept this payload's inline handler from running; links and look-alike text got
through). The label is now a text node. Driven in headless Chromium on the camera map; it
lives here, not in tests/security, because a second session of Playwright's sync API cannot
run beside this package's (its fixtures are this package's conftest).
"""

import pytest

from apps.cameras.services import camera_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = '<img src=x onerror="window.pwned=1">'


def test_a_camera_name_with_markup_shows_as_text_on_the_map(make_user, sign_in_page):
    camera_create(code="CAM-XSS", name=NAME, latitude=51.5, longitude=-0.12, area="X")
    planner = sign_in_page(make_user("planner"))

    planner.goto("/cameras/map/")
    planner.wait_for_function("document.getElementById('map').dataset.markerCount === '1'")

    assert planner.locator("img[src='x']").count() == 0
    assert planner.evaluate("typeof window.pwned") == "undefined"
    assert planner.locator(".leaflet-tooltip").inner_text() == f"CAM-XSS — {NAME}"
