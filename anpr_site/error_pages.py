"""What a person sees when a request goes wrong: 400, 403, 404, 500 and a refused form (CSRF).

Each is the portal's own page (templates/error.html, in the layout of base.html): what happened
in a sentence, the reason when the code gave one in words, and a way back (home, the part of the
portal the address belongs to, or sign-in). Never a stack trace or the URL map: `make run` runs
with DEBUG off as well (anpr_site/settings/local.py). Under /api/ the same errors answer in the
API's JSON shape (anpr_site/api_errors.py).

A 500 may come from the very things the page needs (the database behind the navigation, the
user's session), so it is drawn with the portal's context where that still works, else from the
template alone, else as a fixed page.
"""

import logging
import re
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.template.context_processors import csp
from django.urls import Resolver404, reverse
from django.utils.html import escape
from django.views.decorators.csrf import requires_csrf_token

from apps.accounts.access import is_verified_staff
from apps.portal.navigation import sections_for

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
TEMPLATE = "error.html"


@dataclass(frozen=True)
class ErrorPage:
    """What one kind of error says: a heading and a sentence on the page; a code and a detail in
    the API's JSON."""

    status: int
    title: str
    sentence: str
    code: str
    detail: str


BAD_REQUEST = ErrorPage(
    400,
    "Request not understood",
    "The portal could not understand that request. Go back and try again from a page of the portal.",
    "bad_request",
    "The request could not be understood.",
)
NOT_ALLOWED = ErrorPage(
    403,
    "Not allowed",
    "You may not open this page. If you need it for your work, ask an administrator.",
    "permission_denied",
    "Your role or scope does not allow this.",
)
NOT_FOUND = ErrorPage(
    404,
    "Not found",
    "There is nothing here that you may open: the link may be old, or the record is not one you may see.",
    "not_found",
    "No such address in the API.",
)
SERVER_ERROR = ErrorPage(
    500,
    "Something went wrong",
    "The portal could not finish this request. The error has been logged; try again, and if it "
    "happens again, tell your administrator.",
    "server_error",
    "The server could not finish the request; the error has been logged.",
)
FORM_REFUSED = ErrorPage(
    403,
    "Form not accepted",
    "The form was not accepted: it was open too long, or it was sent from somewhere other than "
    "the portal. Go back, reload the page and send it again.",
    "permission_denied",
    "CSRF check failed.",
)
# get_object_or_404's own message names a model, not anything a person did: not shown.
_LIBRARY_404 = re.compile(r"^No .+ matches the given query\.$")
# The last resort: no template, no context, nothing that can fail.
FIXED_PAGE = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{title} · ANPR'
    "</title></head><body><main><h1>{title}</h1><p>{sentence}</p>"
    '<p><a href="/">Home</a></p></main></body></html>'
)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _answer(request, BAD_REQUEST)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _answer(request, NOT_ALLOWED, reason=_message(exception))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    said = isinstance(exception, Http404) and not isinstance(exception, Resolver404)
    reason = _message(exception) if said else ""
    return _answer(request, NOT_FOUND, reason="" if _LIBRARY_404.match(reason) else reason)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. Django has logged the technical reason; the page says it in words."""
    return _answer(request, FORM_REFUSED)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _answer(request, SERVER_ERROR)


def _answer(request: HttpRequest, error: ErrorPage, *, reason: str = "") -> HttpResponse:
    """The error in the API's JSON, or as the portal's page. An error page must never become an
    error itself (a 500 from the database behind the navigation, a 400 for a host the portal
    does not serve, whose request cannot build links): drawn with the portal's context where
    that works, else from the template alone, else as a fixed page."""
    if _is_api(request):
        return _json(error, reason)
    try:
        context = _context(request, error, reason=reason, ways_back=ways_back(request))
        return render(request, TEMPLATE, context, status=error.status)
    except Exception:
        log.exception("The %s page could not be drawn with the portal's context", error.status)
    try:
        context = _context(request, error, reason=reason, ways_back=[{"label": "Home", "url": "/"}])
        return HttpResponse(loader.render_to_string(TEMPLATE, context | csp(request)), status=error.status)
    except Exception:
        log.exception("The %s page could not be drawn at all; answering the fixed page", error.status)
    return HttpResponse(
        FIXED_PAGE.format(title=escape(error.title), sentence=escape(error.sentence)), status=error.status
    )


def _context(request: HttpRequest, error: ErrorPage, *, reason: str, ways_back: list[dict]) -> dict:
    return {
        "title": error.title,
        "sentence": error.sentence,
        "reason": reason,
        "ways_back": ways_back,
        "status": error.status,
    }


def ways_back(request: HttpRequest) -> list[dict]:
    """Links out of the error: for staff signed in, the part of the portal the address belongs to
    (when they may open it) and home; for anyone else, sign-in."""
    user = getattr(request, "user", None)
    if user is None or not is_verified_staff(user):
        return [{"label": "Sign in", "url": reverse("accounts:login")}]
    home = reverse("portal:home")
    within = [s for s in sections_for(user) if request.path.startswith(s["url"]) and s["url"] != home]
    section = max(within, key=lambda s: len(s["url"]), default=None)
    back = [{"label": f"Back to {section['label']}", "url": section["url"]}] if section else []
    return [*back, {"label": "Home", "url": home}]


def _message(exception: Exception) -> str:
    """The exception's message when the code gave one in words; "" otherwise."""
    message = exception.args[0] if getattr(exception, "args", None) else ""
    return message if isinstance(message, str) else ""


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(error: ErrorPage, reason: str = "") -> JsonResponse:
    return JsonResponse({"error": error.code, "detail": reason or error.detail}, status=error.status)
