from django.db import migrations


class Migration(migrations.Migration):
    """Apart from the data migration: PostgreSQL refuses to alter a table with row updates
    still pending in the same transaction."""

    dependencies = [("cases", "0007_encrypt_referring_party")]

    operations = [migrations.RemoveField(model_name="case", name="referring_party")]
