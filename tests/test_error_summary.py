"""A form sent back with errors opens its page with the error summary (templates/portal/
error_summary.html): "There is a problem", each error a link to the field it is about, and
"Error: " before the page's title. Checked on every kind of portal form, empty as sent."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client

from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory

pytestmark = pytest.mark.django_db

# (role, method, address, what is sent): every form page as it comes back from an empty send.
FORMS = {
    "sign-in": (None, "post", "/accounts/sign-in/", {}),
    "password reset": (None, "post", "/accounts/password-reset/", {"email": "not an address"}),
    "password change": ("officer", "post", "/accounts/me/password/", {}),
    "camera": ("administrator", "post", "/cameras/new/", {}),
    "hotlist": ("administrator", "post", "/hotlists/new/", {}),
    "account": ("administrator", "post", "/accounts/users/new/", {}),
    "access request": ("officer", "post", "/access-requests/new/", {}),
    "assessment": ("planner", "post", "/assessments/new/", {}),
    "review": ("planner", "post", "/assessments/reviews/CAM-REV/", {}),
    "video": ("officer", "post", "/videos/", {}),
    "search": ("officer", "post", "/reads/", {"vrm": "AB12CDE"}),
    "vehicle history": ("officer", "post", "/reads/history/", {}),
    "audit filter": ("auditor", "get", "/audit/security-events/", {"after": "not a day"}),
}


@pytest.mark.parametrize("name", FORMS)
def test_each_form_comes_back_with_the_summary_linked_to_its_fields(make_user, sign_in_client, name):
    role, method, address, data = FORMS[name]
    CameraFactory(code="CAM-REV", status=Camera.Status.LIVE)
    client = sign_in_client(make_user(role), Client()) if role else Client()
    # A browser always sends the form's CSRF token (unchecked here), so the form is bound.
    html = getattr(client, method)(address, data | {"csrfmiddlewaretoken": "sent"}).content.decode()
    assert re.search(r"<title>Error: ", html), name
    summary = html[html.index("data-error-summary") :]
    assert "There is a problem" in summary
    targets = re.findall(r'<li><a href="#([^"]+)">', summary[: summary.index("</ul>")])
    assert targets, name
    for target in targets:  # every link leads to a field on the page, which names its error
        assert re.search(rf'<(input|select|textarea)[^>]* id="{re.escape(target)}"', html), (name, target)
    field_errors = re.findall(r'class="field-error" id="([^"]+)_error"', html)
    assert field_errors, name
    for field in field_errors:  # the field (or its group) says which message is its own
        assert re.search(rf'aria-describedby="[^"]*\b{re.escape(field)}_error\b', html), (name, field)


def test_a_page_without_errors_has_no_summary_and_a_plain_title(make_user, sign_in_client):
    client = sign_in_client(make_user("administrator"), Client())
    html = client.get("/cameras/new/").content.decode()
    assert "data-error-summary" not in html
    assert "<title>Error:" not in html


def test_a_page_names_its_forms_in_its_own_order(make_user, sign_in_client):
    """The search page shows the purpose before the criteria; so does its summary."""
    client = sign_in_client(make_user("officer"), Client())
    html = client.post("/reads/", {"seen_after": "not a time", "reference": "INC-1"}).content.decode()
    summary = html[html.index("data-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    assert summary.index('href="#id_purpose"') < summary.index('href="#id_seen_after"')


class Choice(forms.Form):
    name = forms.CharField()
    colour = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect)

    def clean(self):
        raise forms.ValidationError("Not this combination.")


def test_errors_of_the_whole_form_lead_to_its_first_field_and_radios_to_the_first_choice():
    page = Template("{% load error_summary %}{% error_summary %}").render(Context({"form": Choice({})}))
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', page)
    assert links == [
        ("id_name", "Not this combination."),
        ("id_name", "Name: This field is required."),
        ("id_colour_0", "Colour: This field is required."),
    ]


def test_looking_for_forms_works_out_no_lazy_value(client):
    """The page's context holds the CSRF token as a lazy value: worked out, it would set a cookie
    on a page that has no form (the public report)."""
    response = client.get("/transparency/")
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
