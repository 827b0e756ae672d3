"""A region's periods as signals apply them: the region's own choice, never past the legal maxima (regions/legal.py).

The process managers set the parameters (RegionSettingsForm refuses a value past a legal maximum); the law's
settings can go down later, so every reader takes the lower of the two through `region_periods`.
"""

from dataclasses import dataclass

from . import legal

# the parameters a region's process managers set (RegionSettingsForm, region_settings_update)
REGION_SETTINGS = (
    "max_age",
    "active_years",
    "archive_years",
    "reminder_weeks",
    "informing_postponed_weeks",
    "internal_matches_reported",
    "address_matches",
    "unborn_signals_allowed",
    "unborn_overdue_weeks",
    "unborn_end_weeks",
    "followup_days",
    "request_deadline_days",
    "advice_days",
)


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
