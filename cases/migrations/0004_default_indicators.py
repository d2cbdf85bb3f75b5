"""Load the shipped trafficking-indicator list (003 L146-L147) into the configurable table."""

from django.db import migrations


def load(apps, schema_editor):
    from cases.codes import DEFAULT_INDICATORS

    Indicator = apps.get_model("cases", "TraffickingIndicator")
    for position, (code, label) in enumerate(DEFAULT_INDICATORS, start=1):
        Indicator.objects.get_or_create(code=code, defaults={"label": label, "position": position})


def unload(apps, schema_editor):
    from cases.codes import DEFAULT_INDICATORS

    Indicator = apps.get_model("cases", "TraffickingIndicator")
    Indicator.objects.filter(code__in=[code for code, _ in DEFAULT_INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_person_case_referring_organisation_and_more")]

    operations = [migrations.RunPython(load, unload)]
