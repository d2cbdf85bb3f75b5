from django.apps import AppConfig


class ClosureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "closure"
    verbose_name = "Closure and follow-up"
