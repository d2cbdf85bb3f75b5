import uuid

from django.db import migrations

from crypto.migrating import decrypt_column, encrypt_column


def keys_and_ids(apps, schema_editor):
    # Each line takes its activity's key (the person's) and a row identifier of its own.
    BudgetLine = apps.get_model("plans", "BudgetLine")
    for line in BudgetLine.objects.select_related("activity").iterator(chunk_size=500):
        BudgetLine.objects.filter(pk=line.pk).update(
            uuid=uuid.uuid4(), data_key_id=line.activity.data_key_id
        )


def forwards(apps, schema_editor):
    encrypt_column(apps.get_model("plans", "BudgetLine"), "funding_source_name")


def backwards(apps, schema_editor):
    decrypt_column(apps.get_model("plans", "BudgetLine"), "funding_source_name")


class Migration(migrations.Migration):
    """A funder outside the system can be a private person: encrypt the name with the
    person's key, which the budget line now carries like the other plan rows."""

    dependencies = [
        ("plans", "0002_budget_line_key_fields"),
    ]

    operations = [
        migrations.RunPython(keys_and_ids, migrations.RunPython.noop),
        migrations.RunPython(forwards, backwards),
    ]
