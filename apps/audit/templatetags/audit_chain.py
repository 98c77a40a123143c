"""`{% audit_chain_status %}`: on every auditor's page, when the audit chains were last verified."""

from django import template

from apps.audit.selectors import last_chain_verification

register = template.Library()


@register.inclusion_tag("audit/chain_status.html")
def audit_chain_status() -> dict:
    return {"run": last_chain_verification()}
