from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A form definition that does not validate must stop the start, not surface later as
        # a broken page in front of a beneficiary; this raises ImproperlyConfigured naming the
        # file, the line and the problem.
        from assessments import loader, selectors

        selectors.load_forms(loader.FORMS_DIRECTORY)
