"""A citizen's request is a record of a look-up: the database refuses to delete it (issue #16, finding 1)."""

from django.db import migrations

NO_DELETE_SQL = """
CREATE OR REPLACE FUNCTION rights_rightsrequest_no_delete() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Een verzoek kan niet worden verwijderd'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER rights_rightsrequest_no_delete
    BEFORE DELETE ON rights_rightsrequest
    FOR EACH ROW EXECUTE FUNCTION rights_rightsrequest_no_delete();
"""

REMOVE_NO_DELETE_SQL = """
DROP TRIGGER IF EXISTS rights_rightsrequest_no_delete ON rights_rightsrequest;
DROP FUNCTION IF EXISTS rights_rightsrequest_no_delete();
"""


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_initial")]

    operations = [migrations.RunSQL(NO_DELETE_SQL, REMOVE_NO_DELETE_SQL)]
