"""A stale link and a refused page, walked to in the browser: the portal's own page, with its
header and a way back that leads somewhere."""

import pytest

from tests.browser.conftest import at_home
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_finds_the_way_back_from_a_stale_link_and_a_refused_page(make_user, sign_in_page):
    page = sign_in_page(make_user("officer"))

    response = page.goto("/reads/2026-01-02/12345/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Not found").is_visible()
    assert page.locator(".topbar").get_by_role("link", name="ANPR back office").is_visible()
    assert page.get_by_test_id("navigation").is_visible()
    assert "URLconf" not in page.content()
    assert serious_violations(page) == []
    page.get_by_test_id("ways-back").get_by_role("link", name="Back to Search reads").click()
    page.wait_for_url("**/reads/")
    assert page.get_by_role("heading", name="Search reads").is_visible()

    response = page.goto("/audit/searches/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Not allowed").is_visible()
    assert page.get_by_text("Your roles do not allow this page.").is_visible()
    assert page.locator(".topbar").is_visible()
    assert serious_violations(page) == []
    page.get_by_test_id("ways-back").get_by_role("link", name="Home").click()
    page.wait_for_url(at_home)


def test_someone_not_signed_in_is_offered_sign_in_from_a_missing_page(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Not found").is_visible()
    assert serious_violations(page) == []
    page.get_by_test_id("ways-back").get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/accounts/sign-in/")
