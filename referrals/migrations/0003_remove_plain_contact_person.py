from django.db import migrations


class Migration(migrations.Migration):
    """Apart from the data migration: PostgreSQL refuses to alter a table with row updates
    still pending in the same transaction."""

    dependencies = [("referrals", "0002_encrypt_contact_person")]

    operations = [migrations.RemoveField(model_name="referral", name="contact_person")]
