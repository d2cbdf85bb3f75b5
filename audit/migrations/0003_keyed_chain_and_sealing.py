"""The keyed audit chain and sealing outside the request transaction.

Existing entries keep their plain SHA-256 links (``chain_version`` 1) and still verify: they
are not re-sealed, because re-computing them would also launder any change made to them
before this migration. The chain head records where the plain chain ends, under an HMAC of
the audit key, and the first keyed link covers the last plain hash, so from the first new
entry on, a rewrite of any earlier entry is detected too. Run ``audit_verify`` before
migrating: this migration trusts the head as it finds it.

The append-only triggers are replaced: they now let an unsealed entry receive its place in
the chain once (sequence, links, version) and refuse every other change. On SQLite a table
rebuild drops a table's triggers, so they are recreated after the schema changes.
"""

from django.conf import settings
from django.db import migrations, models

GENESIS_HASH = "0" * 64

POSTGRES_TRIGGERS = """
DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry;
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    -- Sealing: an entry without a place in the chain receives one, once; nothing else of
    -- the entry may change.
    IF TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND NEW.sequence IS NOT NULL
       AND (to_jsonb(NEW) - ARRAY['sequence', 'prev_hash', 'hash', 'chain_version'])
           = (to_jsonb(OLD) - ARRAY['sequence', 'prev_hash', 'hash', 'chain_version']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
POSTGRES_TRIGGERS_DOWN = """
DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry;
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
_CONTENT_COLUMNS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_username",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "fields",
    "detail",
    "request_id",
    "ip_address",
)
# As on PostgreSQL; deletes are refused by the model and detected by audit_verify on SQLite,
# whose flush between transactional tests deletes rows (0002).
SQLITE_TRIGGER = (
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "WHEN NOT (OLD.sequence IS NULL AND NEW.sequence IS NOT NULL AND "
    + " AND ".join(f"NEW.{column} IS OLD.{column}" for column in _CONTENT_COLUMNS)
    + ") BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;"
)
SQLITE_TRIGGER_DOWN = (
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;"
)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGERS)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        schema_editor.execute(SQLITE_TRIGGER)


def restore_old_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGERS_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        schema_editor.execute(SQLITE_TRIGGER_DOWN)


def record_legacy_boundary(apps, schema_editor):
    from audit.chain import legacy_boundary_mac

    head_model = apps.get_model("audit", "AuditChainHead")
    head = head_model.objects.using(schema_editor.connection.alias).filter(id=1).first()
    if head is None:
        head = head_model(id=1, sequence=0, hash=GENESIS_HASH)
    head.legacy_sequence = head.sequence
    head.legacy_hash = head.hash
    head.legacy_mac = legacy_boundary_mac(head.sequence, head.hash)
    head.save(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('audit', '0002_append_only_triggers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_triggers, restore_old_triggers),
        migrations.AlterModelOptions(
            name='auditentry',
            options={'ordering': ['-id']},
        ),
        migrations.RemoveIndex(
            model_name='auditentry',
            name='audit_case_seq',
        ),
        migrations.RemoveIndex(
            model_name='auditentry',
            name='audit_actor_seq',
        ),
        migrations.RemoveIndex(
            model_name='auditentry',
            name='audit_org_seq',
        ),
        migrations.AddField(
            model_name='auditchainhead',
            name='legacy_hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='auditchainhead',
            name='legacy_mac',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='auditchainhead',
            name='legacy_sequence',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='chain_version',
            # Every entry written so far carries a plain SHA-256 link.
            field=models.PositiveSmallIntegerField(blank=True, null=True, default=1),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='hash',
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='prev_hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='sequence',
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['case_id', '-id'], name='audit_case_id'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['actor', '-id'], name='audit_actor_id'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['organisation', '-id'], name='audit_org_id'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(condition=models.Q(('sequence__isnull', True)), fields=['id'], name='audit_unsealed'),
        ),
        migrations.AddConstraint(
            model_name='auditentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('chain_version__isnull', True), ('hash__isnull', True), ('prev_hash', ''), ('sequence__isnull', True)), models.Q(('chain_version__in', [1, 2]), ('hash__isnull', False), ('sequence__isnull', False)), _connector='OR'), name='audit_sealed_complete'),
        ),
        migrations.RunPython(record_legacy_boundary, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, restore_old_triggers),
    ]
