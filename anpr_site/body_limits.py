"""Request body limits, enforced where the body arrives: in front of Django, at the ASGI layer.

Django's ASGI handler spools a request's whole body to disk before any view runs, so a limit
checked by a view comes after a 50 GB upload has filled the disk. Here each request's limit is
found first, by resolving its path as Django will: a view that takes files declares the setting
holding the largest it accepts with `@body_limit(...)` (the form around the file may add
FORM_ALLOWANCE); every other view takes DATA_UPLOAD_MAX_MEMORY_SIZE. A declared limit is
granted only to a caller who is signed in (a live session with its second factor) or sends a
valid API token, checked before the body is read: an anonymous caller could otherwise fill the
disk with video-sized bodies that are refused only once they have arrived. A Content-Length over
the limit is answered 413 before a byte of the body is read; a chunked body is counted as it
arrives and cut off with 413 where it passes the limit. The views keep their own, exact checks
of the file, whose messages say more.
"""

import json
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from importlib import import_module
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import get_script_prefix
from django.urls import Resolver404, resolve

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The multipart framing and a form's other fields (camera, time, CSRF token) around its file.
FORM_ALLOWANCE = 64 * 1024


def body_limit(setting: str) -> Callable[[Callable], Callable]:
    """The view (a function, or a viewset's action) takes a POSTed file of up to the bytes in
    `setting`; its other methods, like every other view, take DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def declare(view: Callable) -> Callable:
        view.body_limit_setting = setting  # type: ignore[attr-defined]  # a mark on the function
        return view

    return declare


def limit_for(path: str, method: str) -> int:
    """The most bytes a request body sent to this path by this method may hold."""
    setting = _declared_setting(path, method)
    if setting is None:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return getattr(settings, setting) + FORM_ALLOWANCE


class BodyLimitMiddleware:
    """Wraps the ASGI application: a request body over its path's limit is answered 413."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = _path_info(scope)
        limit = limit_for(path, scope["method"])
        if limit > settings.DATA_UPLOAD_MAX_MEMORY_SIZE and not await sync_to_async(_known_caller)(scope):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            # Not a byte read, so the server never invites the body (no 100 Continue).
            await _refuse(send, path, limit)
            return
        body = _CountedBody(receive, send, path=path, limit=limit)
        await self.app(scope, body.receive, body.send)


class _CountedBody:
    """The application's receive and send, with the body counted as it arrives."""

    def __init__(self, receive: Receive, send: Send, *, path: str, limit: int) -> None:
        self._receive, self._send = receive, send
        self.path, self.limit = path, limit
        self.received = 0
        self.refused = False
        self.answer_started = False

    async def receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.refused = True
                if not self.answer_started:
                    await _refuse(self._send, self.path, self.limit)
                # Django drops a request whose client went away, and reads no further.
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self.refused:
            return  # the 413 has been sent, and the connection closes after it
        if message["type"] == "http.response.start":
            self.answer_started = True
        await self._send(message)


def _declared_setting(path: str, method: str) -> str | None:
    if method != "POST":
        return None
    try:
        view = resolve(path).func
    except Resolver404:
        return None
    setting = getattr(view, "body_limit_setting", None)
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if setting is None and view_class is not None:
        # A viewset routes POST to an action; an APIView or a Django view to its post().
        handler = getattr(view, "actions", {}).get("post", "post")
        setting = getattr(getattr(view_class, handler, None), "body_limit_setting", None)
    return setting


def _known_caller(scope: Scope) -> bool:
    """Whether the request carries a valid API token or a signed-in session with its second
    factor (who may do what is still the view's to decide)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from rest_framework.exceptions import AuthenticationFailed

    from apps.accounts.tokens import ApiTokenAuthentication

    headers = dict(scope["headers"])
    scheme, _, token = headers.get(b"authorization", b"").partition(b" ")
    if scheme.lower() == b"token" and token:
        try:
            ApiTokenAuthentication().authenticate_credentials(token.strip())
        except AuthenticationFailed:
            return False
        return True
    cookies = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
    if settings.SESSION_COOKIE_NAME not in cookies:
        return False
    session = import_module(settings.SESSION_ENGINE).SessionStore(cookies[settings.SESSION_COOKIE_NAME].value)
    return bool(session.get("_auth_user_id") and session.get(DEVICE_ID_SESSION_KEY))


def _path_info(scope: Scope) -> str:
    """The path Django will resolve (as ASGIRequest takes it from the scope)."""
    return scope["path"].removeprefix(get_script_prefix(scope)) or "/"


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":  # ASGI servers give header names in lower case
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length before the application sees it
    return None


async def _refuse(send: Send, path: str, limit: int) -> None:
    detail = f"The request body is over {limit:,} bytes, the most this address accepts."
    if path.startswith("/api/"):
        body = json.dumps({"error": "too_large", "detail": detail}).encode()
        content_type = b"application/json"
    else:
        body = f"Request too large. {detail}\n".encode()
        content_type = b"text/plain; charset=utf-8"
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff"),
        # The rest of the body is never read: the connection cannot carry another request.
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
