"""The legal maxima of the Jeugdwet §7.1 that every region's rules stay within (read by signals and the public page)."""

# a signal may be placed up to the 23rd birthday
MAX_AGE = 23
# a signal is active for at most two years, then archived for five
ACTIVE_YEARS = 2
ARCHIVE_YEARS = 5
