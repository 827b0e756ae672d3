"""Periodic jobs of the logbook: the sealing sweep, a signed checkpoint every ten minutes, one e-mailed daily."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # entries whose after-commit seal task was lost (broker down, worker killed) are chained within a minute
    "audit-logbook-seal-sweep": {"task": "audit.logbook_seal", "schedule": 60.0},
    "audit-logbook-checkpoint": {"task": "audit.logbook_checkpoint", "schedule": crontab(minute="*/10")},
    "audit-logbook-checkpoint-send-daily": {
        "task": "audit.logbook_checkpoint_send",
        "schedule": crontab(hour=6, minute=5),
    },
}
