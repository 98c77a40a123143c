"""The auditors' misuse-flag pages: the list, and one flag with its evidence and the close form."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from apps.accounts.access import requires

from .filters import MisuseFlagFilter
from .forms import CloseFlagForm
from .selectors import flag_evidence, misuse_flags
from .services import FlagAlreadyClosed, flag_close

# The auditors' permission, the one the search audit pages themselves require.
AUDITORS = "audit.view_searchaudit"


@requires(AUDITORS)
def flag_list(request):
    flags = MisuseFlagFilter(request.GET or None, queryset=misuse_flags())
    page = Paginator(flags.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "misuse/flag_list.html", {"filter": flags, "page": page, "query": query.urlencode()}
    )


@requires(AUDITORS)
def flag_detail(request, pk: int):
    flag = get_object_or_404(misuse_flags(), pk=pk)
    closed = flag.closed  # type: ignore[attr-defined]  # annotated by misuse_flags()
    form = None if closed else CloseFlagForm(request.POST or None)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            flag_close(flag=flag, auditor=request.user, note=form.cleaned_data["note"])
        except (FlagAlreadyClosed, ValueError) as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"Flag {flag.pk} closed.")
        return redirect("misuse:detail", pk=flag.pk)
    return render(request, "misuse/flag_detail.html", {"flag": flag, "form": form, **flag_evidence(flag)})
