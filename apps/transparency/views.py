"""The transparency report as a plain, printable page anyone may open."""

from django.shortcuts import render

from apps.accounts.access import public

from .selectors import transparency_report


@public
def report(request):
    return render(request, "transparency/report.html", {"report": transparency_report()})
