"""Periodic jobs of matching: the sweep detects for signals whose detection never ran."""

BEAT_SCHEDULE = {
    "matching-sweep": {"task": "matching.sweep", "schedule": 60.0},
}
