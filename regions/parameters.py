"""A region's periods as signals apply them: the region's own choice, never past the legal maxima (regions/legal.py).

The process managers set the parameters (RegionSettingsForm refuses a value past a legal maximum); the law's
settings can go down later, so every reader takes the lower of the two through `region_periods`.
"""

from dataclasses import dataclass

from . import legal


@dataclass(frozen=True)
class Periods:
    """The age and the periods that decide how long a signal of this region lives (in whole years)."""

    max_age: int
    active_years: int
    archive_years: int


def legal_periods() -> Periods:
    """The legal maxima themselves (read at call time: tests and deployments change the settings)."""
    return Periods(max_age=legal.MAX_AGE, active_years=legal.ACTIVE_YEARS, archive_years=legal.ARCHIVE_YEARS)


def region_periods(region) -> Periods:
    """The periods the region's signals follow now: its own parameters, each capped by the legal maximum."""
    return Periods(
        max_age=min(region.max_age, legal.MAX_AGE),
        active_years=min(region.active_years, legal.ACTIVE_YEARS),
        archive_years=min(region.archive_years, legal.ARCHIVE_YEARS),
    )
