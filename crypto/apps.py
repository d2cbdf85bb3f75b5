from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "crypto"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from crypto import signals  # noqa: F401  (connects the settings-change receiver)
