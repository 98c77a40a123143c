"""The home page: each role's sections, and what waits for this user in the apps below."""

from django.shortcuts import render

from apps.access_requests.selectors import decisions_unseen
from apps.accounts.access import signed_in
from apps.accounts.selectors import locked_usernames
from apps.audit.selectors import security_events

from .navigation import sections_for


@signed_in
def home(request):
    context: dict[str, object] = {"sections": sections_for(request.user)}
    if request.user.has_perm("audit.view_securityevent"):
        context["recent_failures"] = security_events().filter(kind="login_failed")[:5]
    if request.user.has_perm("accounts.view_user"):
        context["locked"] = sorted(locked_usernames())
    if request.user.has_perm("access_requests.add_accessrequest"):
        context["decisions"] = decisions_unseen(request.user)
    return render(request, "portal/home.html", context)
