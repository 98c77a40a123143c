"""Published months join the audit trail: append-only and hash-chained."""

from django.db import migrations

from apps.audit.chain_sql import chain_table


class Migration(migrations.Migration):
    dependencies = [
        ("transparency", "0001_published_months"),
        ("audit", "0010_hash_chain"),
    ]

    operations = [chain_table("transparency_publishedmonth", "at", guard=True)]
