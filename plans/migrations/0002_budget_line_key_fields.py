import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """A budget line gets the person's key and a row identifier (filled in 0003). On its own:
    PostgreSQL creates the key's index at the end of the migration, which it refuses while
    rows updated in the same transaction have pending trigger events."""

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
    ]
