"""The keyed chain, sealed after commit (docs/adr/0002-logbook.md).

Entries are now written unchained in the caller's transaction; the sealer fills in seq, key_version, previous_hash
and entry_hash once, after commit. The append-only trigger therefore lets one kind of UPDATE through: on an entry
not yet sealed (seq IS NULL), setting those four columns and nothing else. Everything else stays refused.

The rows of the unkeyed chain (migration 0002) are checked against that chain first; the outcome is recorded in
a logbook entry of its own (action logbook_rekeyed); then every row is re-chained under the keyed HMAC.
"""

from importlib import import_module

from django.db import migrations, models

APPEND_ONLY_SQL = r"""
CREATE OR REPLACE FUNCTION audit_logentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
           AND (NEW.id, NEW.created_at, NEW.action, NEW.actor_id, NEW.actor_label, NEW.ip_address, NEW.region_id,
                NEW.youth_pseudonym, NEW.signal_id, NEW.details)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.created_at, OLD.action, OLD.actor_id, OLD.actor_label, OLD.ip_address, OLD.region_id,
                OLD.youth_pseudonym, OLD.signal_id, OLD.details) THEN
            RETURN NEW;
        END IF;
    END IF;
    IF TG_OP = 'TRUNCATE'
       AND current_setting('verwijsindex.logbook_truncate_allowed', true) = 'on'
       AND current_database() LIKE 'test\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Het logboek is alleen aan te vullen: % is niet toegestaan', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# the function as migration 0003 left it, restored when this migration is reversed
PREVIOUS_SQL = import_module("audit.migrations.0003_logbook_truncate_only_in_test_databases").APPEND_ONLY_SQL


def rechain_under_the_key(apps, schema_editor):
    from django.utils import timezone

    from audit.chain import GENESIS_HASH, legacy_entry_hash
    from audit.keys import settings_hmac_ring
    from audit.services import SEAL_BATCH, SYSTEM_ACTOR, seal_batch

    LogEntry = apps.get_model("audit", "LogEntry")
    ring = settings_hmac_ring()  # refuses to go on without a key: the rows must not be re-chained unkeyed
    previous, checked, broken_id = GENESIS_HASH, 0, None
    for row in LogEntry.objects.order_by("id").values().iterator(chunk_size=SEAL_BATCH):
        if row["previous_hash"] != previous or legacy_entry_hash(previous, row) != row["entry_hash"]:
            broken_id = row["id"]
            break
        previous = row["entry_hash"]
        checked += 1
    if checked or broken_id is not None:
        LogEntry.objects.create(
            created_at=timezone.now(),
            action="logbook_rekeyed",
            actor_label=SYSTEM_ACTOR,
            details={
                "unkeyed_rows_intact": checked,
                "unkeyed_chain_broken_at": broken_id,
                "unkeyed_head": previous,
                "key_version": ring.current_version,
            },
        )
    while seal_batch(model=LogEntry, ring=ring, batch_size=SEAL_BATCH):
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_logbook_truncate_only_in_test_databases"),
    ]

    operations = [
        migrations.AddField(
            model_name="logentry",
            name="key_version",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="logentry",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name="logentry",
            index=models.Index(condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_logentry_unsealed"),
        ),
        migrations.RunSQL(APPEND_ONLY_SQL, PREVIOUS_SQL),
        migrations.RunPython(rechain_under_the_key, migrations.RunPython.noop),
    ]
