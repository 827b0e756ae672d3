"""The logbook: an append-only record of every placement, end, transfer, destruction, notification and view."""
