from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "apps.cases"
    label = "cases"
    verbose_name = "Case folders"

    def ready(self) -> None:
        # The read's page offers to file it in a case folder through the hook reads defines.
        from apps.reads.hooks import read_page_panels

        from .filing import filing_panel

        read_page_panels.register(filing_panel)
