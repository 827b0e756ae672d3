# The match as one object (docs/adr/0001-the-match.md): the match, its participations and the monitor's notes.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0001_initial"),
        ("regions", "0003_followupcheck"),
        ("signals", "0002_archive_shown_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="matchlink",
            options={"verbose_name": "matchkoppeling", "verbose_name_plural": "matchkoppelingen"},
        ),
        migrations.CreateModel(
            name="Match",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="ontstaan op")),
                ("coordinator_since", models.DateTimeField(blank=True, null=True, verbose_name="matchregisseur sinds")),
                ("handed_over", models.BooleanField(default=False)),
                ("proposed_at", models.DateTimeField(blank=True, null=True)),
                ("coordination_agreed_on", models.DateField(blank=True, null=True, verbose_name="afgestemd op")),
                ("version", models.PositiveIntegerField(default=0)),
                (
                    "coordinator_signal",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="signals.signal",
                        verbose_name="matchregisseur",
                    ),
                ),
                (
                    "proposed_signal",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="signals.signal",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="regions.region",
                        verbose_name="regio",
                    ),
                ),
            ],
            options={
                "verbose_name": "match",
                "verbose_name_plural": "matches",
                "indexes": [models.Index(fields=["region", "created_at"], name="match_region_created")],
            },
        ),
        migrations.CreateModel(
            name="MatchParticipation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("joined_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="betrokken sinds")),
                ("contact_made_on", models.DateField(blank=True, null=True, verbose_name="contact gelegd op")),
                ("recorded_at", models.DateTimeField(blank=True, null=True, verbose_name="vastgelegd op")),
                (
                    "match",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="matching.match",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "signal",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="match_participation",
                        to="signals.signal",
                    ),
                ),
            ],
            options={
                "verbose_name": "deelname aan match",
                "verbose_name_plural": "deelnames aan matches",
                "indexes": [models.Index(fields=["match", "joined_at"], name="participation_match_joined")],
            },
        ),
        migrations.CreateModel(
            name="FollowUpCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("monitor_name", models.CharField(max_length=200, verbose_name="door")),
                ("noted_at", models.DateTimeField(auto_now_add=True, verbose_name="opgevolgd op")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="notitie")),
                (
                    "match",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="checks", to="matching.match"
                    ),
                ),
                (
                    "monitor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="regions.region"
                    ),
                ),
            ],
            options={
                "verbose_name": "opvolging door monitor",
                "verbose_name_plural": "opvolging door monitor",
                "ordering": ["-noted_at", "-id"],
            },
        ),
    ]
