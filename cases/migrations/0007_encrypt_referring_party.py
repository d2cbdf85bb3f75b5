from django.db import migrations, models

from crypto.migrating import decrypt_column, encrypt_column


def forwards(apps, schema_editor):
    encrypt_column(apps.get_model("cases", "Case"), "referring_party")


def backwards(apps, schema_editor):
    decrypt_column(apps.get_model("cases", "Case"), "referring_party")


class Migration(migrations.Migration):
    """The referring party can name a person: encrypt it with the person's key."""

    dependencies = [
        ("cases", "0006_value_constraints"),
        ("crypto", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="referring_party_enc",
            field=models.BinaryField(null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
