"""Signals: placing, ending and transferring, and their life cycle (expiry, archive, destruction)."""
