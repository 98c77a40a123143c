"""The error summary at the top of a page whose form came back with errors (the GOV.UK Design
System's pattern): "There is a problem", then each error as a link to the field to put right.

base.html shows it on every page, for every bound form in the page's context (forms, formsets,
filter sets) in the order the view put them there, and puts "Error: " before the page's title.
A page that shows its forms in another order names them in that order:
`{% block error_summary %}{% error_summary purpose filters %}{% endblock %}`.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet, BoundField
from django_filters import FilterSet

register = template.Library()


@dataclass(frozen=True)
class PageError:
    """One error as the summary lists it: what is wrong, and the id of the field to go to."""

    message: str
    label: str = ""
    target: str = ""  # empty when there is no field to go to


@register.simple_tag(takes_context=True)
def page_errors(context, *forms) -> list[PageError]:
    """The errors of the forms given, else of every bound form in the context."""
    found = forms or tuple(context.flatten().values())
    errors: list[PageError] = []
    seen: set[int] = set()
    for form in _forms_in(found):
        if id(form) not in seen:
            seen.add(id(form))
            errors += _errors_of(form)
    return errors


@register.inclusion_tag("portal/error_summary.html", takes_context=True)
def error_summary(context, *forms) -> dict:
    """The summary box, for the forms given in page order (all the page's forms if none)."""
    return {"page_errors": page_errors(context, *forms)}


def _forms_in(values: Iterable) -> Iterator[BaseForm | BaseFormSet]:
    for value in values:
        # type(), not isinstance(): a lazy value (the CSRF token, the user) is not worked out.
        kind = type(value)
        if issubclass(kind, BaseForm | BaseFormSet) and value.is_bound:
            yield value
        elif issubclass(kind, FilterSet) and value.is_bound:
            yield value.form


def _errors_of(form: BaseForm | BaseFormSet) -> list[PageError]:
    if isinstance(form, BaseFormSet):
        first = _first_target(form.forms[0]) if form.forms else ""
        errors = [PageError(str(message), target=first) for message in form.non_form_errors()]
        for row in form.forms:
            errors += _errors_of(row)
        return errors
    if not form.errors:
        return []
    # An error of the whole form is put right in its fields: it leads to the first of them.
    errors = [PageError(str(message), target=_first_target(form)) for message in form.non_field_errors()]
    for name in form.fields:
        field = form[name]
        target = "" if field.is_hidden else _target(field)
        errors += [PageError(str(message), str(field.label or name), target) for message in field.errors]
    return errors


def _first_target(form: BaseForm) -> str:
    return next((_target(field) for field in form.visible_fields()), "")


def _target(field: BoundField) -> str:
    """The id of the field's first input: a group of radios or boxes has none of its own."""
    if field.id_for_label:
        return field.id_for_label
    return f"{field.auto_id}_0" if field.auto_id else ""
