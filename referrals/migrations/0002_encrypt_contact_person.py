from django.db import migrations, models

from crypto.migrating import decrypt_column, encrypt_column


def forwards(apps, schema_editor):
    encrypt_column(apps.get_model("referrals", "Referral"), "contact_person")


def backwards(apps, schema_editor):
    decrypt_column(apps.get_model("referrals", "Referral"), "contact_person")


class Migration(migrations.Migration):
    """The contact person at the recipient is a name: encrypt it with the person's key."""

    dependencies = [
        ("referrals", "0001_initial"),
        ("crypto", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="contact_person_enc",
            field=models.BinaryField(null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
