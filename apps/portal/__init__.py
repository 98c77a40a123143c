"""The portal: what composes the other apps and belongs to none of them.

The home page and the navigation, the auditor's pages (which read the audit trail under the
accounts' access policy, and the oldest read held), the daily retention job across every app
that keeps something, and the demo data (`manage.py seed_demo`). It imports the apps below it;
no app imports it.
"""
