"""TRUNCATE of the logbook: the session setting alone no longer suffices (any session could SET LOCAL it).

It is honoured only in a database whose name starts with test_ (the ones pytest-django creates and drops).
See issue 16, finding 8.
"""

from django.db import migrations

APPEND_ONLY_SQL = r"""
CREATE OR REPLACE FUNCTION audit_logentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('verwijsindex.logbook_truncate_allowed', true) = 'on'
       AND current_database() LIKE 'test\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Het logboek is alleen aan te vullen: % is niet toegestaan', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS_SQL = """
CREATE OR REPLACE FUNCTION audit_logentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('verwijsindex.logbook_truncate_allowed', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Het logboek is alleen aan te vullen: % is niet toegestaan', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_logbook_hash_chain")]

    operations = [migrations.RunSQL(APPEND_ONLY_SQL, PREVIOUS_SQL)]
