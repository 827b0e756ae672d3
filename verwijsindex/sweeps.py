"""Moved to core.sweeps (a foundation every app may import); kept here for imports not yet updated."""

from core.sweeps import SweepOutcome, sweep_alone, sweep_each

__all__ = ["SweepOutcome", "sweep_alone", "sweep_each"]
