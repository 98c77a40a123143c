"""The home page: what waits for this user (apps/portal/attention.py) and each role's sections."""

from django.shortcuts import render
from django.utils import timezone

from apps.access_requests.selectors import decisions_unseen
from apps.accounts.access import signed_in
from apps.audit.selectors import last_chain_verification

from .attention import figures_for
from .navigation import sections_for


@signed_in
def home(request):
    user = request.user
    context: dict[str, object] = {
        "figures": figures_for(user, now=timezone.now()),
        "sections": sections_for(user),
    }
    if user.has_perm("audit.view_jobrun"):
        context["chain_checked"], context["chain_run"] = True, last_chain_verification()
    if user.has_perm("access_requests.add_accessrequest"):
        context["decisions"] = decisions_unseen(user)
    return render(request, "portal/home.html", context)
