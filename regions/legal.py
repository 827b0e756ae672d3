"""The legal maxima of the Jeugdwet §7.1 that every region's parameters stay within (settings LEGAL_*).

Signals use the region's own parameters; these are the guard rails the region's settings page enforces and the
defaults of a new region.
"""

from django.conf import settings

# a signal may be placed up to the 23rd birthday
MAX_AGE: int = settings.LEGAL_MAX_AGE
# a signal is active for at most two years, then archived for at most five
ACTIVE_YEARS: int = settings.LEGAL_ACTIVE_YEARS
ARCHIVE_YEARS: int = settings.LEGAL_ARCHIVE_YEARS
