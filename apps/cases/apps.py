from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "apps.cases"
    label = "cases"
    verbose_name = "Case folders"

    def ready(self) -> None:
        # A read's page and a search's results offer to file them in a case folder through the
        # hooks reads defines.
        from apps.reads.hooks import read_page_panels, search_page_panels

        from .filing import filing_panel, search_filing_panel

        read_page_panels.register(filing_panel)
        search_page_panels.register(search_filing_panel)
