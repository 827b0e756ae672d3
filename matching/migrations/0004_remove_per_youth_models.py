# The coordinator and follow-up per youth are gone: the match carries them (matching 0003 moved the data).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0003_carry_over_to_matches"),
        ("regions", "0006_delete_followupcheck"),
    ]

    operations = [
        migrations.DeleteModel(name="MatchCoordinator"),
        migrations.DeleteModel(name="MatchFollowUp"),
    ]
