from django.apps import AppConfig


class HotlistsConfig(AppConfig):
    name = "apps.hotlists"
    label = "hotlists"
    verbose_name = "Hotlists and alerts"

    def ready(self) -> None:
        from apps.cameras.hooks import camera_page_facts
        from apps.reads.hooks import on_reads_stored, read_alerts

        from . import change_log
        from .ingest import raised_by
        from .live import publish, told_to_crew
        from .selectors import alerts_of_read, read_quality

        camera_page_facts["quality"] = read_quality  # shown on the camera's page
        # Every stored read is checked against the lists in ingest's own transaction.
        on_reads_stored.register(raise_for=raised_by, after_commit=publish, told_to_crew=told_to_crew)
        read_alerts.register(of=alerts_of_read)  # listed on the read's page
        change_log.register()  # covert lists withheld on the change log
