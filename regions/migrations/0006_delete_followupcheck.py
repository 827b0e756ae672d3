# The monitor's notes moved to matching.FollowUpCheck (per match); matching 0003 carried them over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("regions", "0005_region_parameters"),
        ("matching", "0003_carry_over_to_matches"),
    ]

    operations = [
        migrations.DeleteModel(name="FollowUpCheck"),
    ]
