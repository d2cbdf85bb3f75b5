from django.db import migrations


class Migration(migrations.Migration):
    """Apart from the data migration: PostgreSQL refuses to alter a table with row updates
    still pending in the same transaction."""

    dependencies = [("assistance", "0002_encrypt_funding_source_name")]

    operations = [
        migrations.RemoveField(model_name="ledgeritem", name="funding_source_name"),
    ]
