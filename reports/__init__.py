"""Anonymous figures of a region: counters that survive the destruction of the signals they count."""
