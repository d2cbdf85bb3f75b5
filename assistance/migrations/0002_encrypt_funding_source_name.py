from django.db import migrations, models

from crypto.migrating import decrypt_column, encrypt_column


def forwards(apps, schema_editor):
    encrypt_column(apps.get_model("assistance", "LedgerItem"), "funding_source_name")


def backwards(apps, schema_editor):
    decrypt_column(apps.get_model("assistance", "LedgerItem"), "funding_source_name")


class Migration(migrations.Migration):
    """A funder outside the system can be a private person: the ledger item's funder name
    moves under the person's key, which the item already carries."""

    dependencies = [
        ("assistance", "0001_initial"),
        ("crypto", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgeritem",
            name="funding_source_name_enc",
            field=models.BinaryField(null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
