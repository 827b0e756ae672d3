"""Signals placed under the old convention ended one day late (the second anniversary was still active, and the
archive term ran a day past five years): move their last active day and their destruction day back by one day
(docs/adr/0007-exact-legal-dates.md). Signals cut short by the 23rd birthday were right and are left alone."""

from django.db import migrations

FORWARD = """
UPDATE signals_signal AS s
   SET archive_until = s.archive_until - 1
  FROM persons_youth AS y
 WHERE y.id = s.youth_id AND s.status = 'archived' AND s.end_reason = 'expired'
   AND s.ends_on = ((s.placed_at AT TIME ZONE 'Europe/Amsterdam')::date + interval '2 years')::date
   AND s.archive_until = (s.ends_on + 1 + interval '5 years')::date
   AND s.archive_until < (y.birth_date + interval '23 years')::date;
UPDATE signals_signal AS s
   SET ends_on = s.ends_on - 1
 WHERE s.ends_on = ((s.placed_at AT TIME ZONE 'Europe/Amsterdam')::date + interval '2 years')::date;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0002_archive_shown_at"),
        ("persons", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=migrations.RunSQL.noop)]
