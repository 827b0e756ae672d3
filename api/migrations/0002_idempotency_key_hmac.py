"""Idempotency-Keys are kept only as a keyed hash (issue #16, finding 9): existing keys are hashed in place."""

from django.db import migrations, models
from django.utils.crypto import salted_hmac


def hash_keys(apps, schema_editor):
    IdempotencyRecord = apps.get_model("api", "IdempotencyRecord")
    for record in IdempotencyRecord.objects.only("pk", "key").iterator():
        record.key = salted_hmac("api.idempotency-key", record.key, algorithm="sha256").hexdigest()
        record.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        # the records live for API_IDEMPOTENCY_HOURS; a key cannot be un-hashed, so going back forgets them
        migrations.RunPython(hash_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="idempotencyrecord", name="idempotency_key_once_per_client"),
        migrations.RenameField(model_name="idempotencyrecord", old_name="key", new_name="key_hmac"),
        migrations.AlterField(
            model_name="idempotencyrecord", name="key_hmac", field=models.CharField(max_length=64)
        ),
        migrations.AddConstraint(
            model_name="idempotencyrecord",
            constraint=models.UniqueConstraint(fields=("client", "key_hmac"), name="idempotency_key_once_per_client"),
        ),
    ]
