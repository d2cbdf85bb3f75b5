import uuid

import django.db.models.deletion
from django.db import migrations, models

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
        ("plans", "0001_initial"),
        ("crypto", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="budgetline",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="budgetline",
            name="data_key",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="crypto.datakey",
            ),
        ),
        migrations.AddField(
            model_name="budgetline",
            name="funding_source_name_enc",
            field=models.BinaryField(null=True),
        ),
        migrations.RunPython(keys_and_ids, migrations.RunPython.noop),
        migrations.RunPython(forwards, backwards),
    ]
