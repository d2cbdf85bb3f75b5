from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PoliciesConfig(AppConfig):
    name = "policies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from policies.packs import validate_shipped_packs
        from policies.services import sync_after_migrate

        # A broken pack stops start-up here, naming the file and the key.
        validate_shipped_packs()
        post_migrate.connect(sync_after_migrate, sender=self)
