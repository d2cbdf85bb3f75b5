import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from the data migration: PostgreSQL refuses to alter a table with row updates
    still pending in the same transaction."""

    dependencies = [("plans", "0003_encrypt_funding_source_name")]

    operations = [
        migrations.AlterField(
            model_name="budgetline",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="budgetline",
            name="data_key",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="crypto.datakey"
            ),
        ),
        migrations.RemoveField(model_name="budgetline", name="funding_source_name"),
    ]
