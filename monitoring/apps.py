from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A broken outcome framework stops the start, naming the file and the key, like the
        # policy packs and the assessment forms.
        from monitoring.framework import shipped_frameworks

        shipped_frameworks()
