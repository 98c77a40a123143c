from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import roles, schema  # noqa: F401  (schema registers an OpenAPI extension)

        # After every migrate (and every test flush) the role groups get exactly the
        # permissions roles.py grants, including those of apps migrated later.
        post_migrate.connect(roles.sync_on_migrate, dispatch_uid="accounts.sync_roles")
