"""Flags and their closures join the audit trail: append-only and hash-chained."""

from django.db import migrations

from apps.audit.chain_sql import chain_table


class Migration(migrations.Migration):
    dependencies = [
        ("misuse", "0001_initial"),
        ("audit", "0010_hash_chain"),
    ]

    operations = [
        chain_table("misuse_misuseflag", "at", guard=True),
        chain_table("misuse_misuseflagclosure", "at", guard=True),
    ]
