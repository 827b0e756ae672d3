"""E-mail through an outbox: written with the change, sent exactly once, swept when left behind."""
