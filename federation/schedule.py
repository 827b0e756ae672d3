"""Periodic job of the federation: send (and resend) what waits in the outbox to the hub."""

BEAT_SCHEDULE = {
    "federation-outbox-send": {"task": "federation.outbox_send", "schedule": 60.0},
}
