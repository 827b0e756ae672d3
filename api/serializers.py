"""Request and response bodies of the API. No body ever holds a BSN; the youth only by name and date of birth."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

INFORMING_STATUSES = ("informed", "postponed", "omitted")
INFORMED_PARTIES = ("youth", "parents")
API_END_REASONS = ("concern_gone", "placed_wrongly")
SIGNAL_STATUSES = ("active", "archived")
MATCH_KINDS = ("same_youth", "family", "address")


class ErrorSerializer(serializers.Serializer):
    """Every error of the API has this shape."""

    code = serializers.CharField(help_text="Machine-readable code, e.g. `required`, `youth_too_old`, `throttled`.")
    message_nl = serializers.CharField(help_text="The message in Dutch, fit to show to a professional.")
    message_en = serializers.CharField(help_text="The same message in English.")
    field = serializers.CharField(
        allow_null=True, help_text="The field (dotted path, or a header name) the error concerns; null if none."
    )


class InformingSerializer(serializers.Serializer):
    """Who was informed, when and how; or why informing was postponed or omitted."""

    status = serializers.ChoiceField(choices=INFORMING_STATUSES)
    whom = serializers.ListField(
        child=serializers.ChoiceField(choices=INFORMED_PARTIES),
        required=False,
        max_length=2,
        help_text="With status `informed`: who was informed. Under 12 the parents, 12 up to 16 both, 16+ the youth.",
    )
    on = serializers.DateField(required=False, allow_null=True, help_text="With status `informed`: the date.")
    how = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="With `postponed` or `omitted`: why."
    )
    objection_voiced = serializers.BooleanField(required=False, default=False)
    objection_override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SignalPlaceSerializer(serializers.Serializer):
    professional_email = serializers.EmailField(
        max_length=254, help_text="E-mail address of the professional of the client's organisation who places it."
    )
    bsn = serializers.CharField(max_length=20, help_text="The youth's BSN (nine digits). Never returned.")
    birth_date = serializers.DateField(help_text="The youth's date of birth, checked against the BRP.")
    expected_birth_date = serializers.DateField(
        required=False,
        help_text="Only for a signal on an unborn child (where the region allows it): the expected date of birth. "
        "`bsn` and `birth_date` are then the pregnant woman's; the signal is on her unborn child and moves to the "
        "child when the BRP shows it born.",
    )
    informing = InformingSerializer()


class SignalExtendSerializer(serializers.Serializer):
    informing = InformingSerializer(
        help_text="The informing recorded again for the extension: informed on or after the previous informing, "
        "or postponed/omitted with the reason."
    )


class InformingUpdateSerializer(InformingSerializer):
    """A postponed informing, later: `informed` (whom, on, how) or `postponed` again with the renewed reason."""

    status = serializers.ChoiceField(choices=("informed", "postponed"))


class SignalFilterSerializer(serializers.Serializer):
    """The list's query parameters."""

    professional = serializers.CharField(required=False, allow_blank=True, max_length=254)
    status = serializers.ChoiceField(choices=SIGNAL_STATUSES, required=False)


class SignalEndSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=API_END_REASONS,
        help_text="`concern_gone`: the signal is archived. `placed_wrongly`: the signal is destroyed at once.",
    )


class ProfessionalSerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name")
    email = serializers.EmailField()


class YouthSerializer(serializers.Serializer):
    name = serializers.CharField(
        source="full_name", help_text="The youth's name; for an unborn child \"ongeboren kind van\" and the mother's."
    )
    unborn = serializers.BooleanField(
        source="is_unborn", help_text="An unborn child: `birth_date` is then the expected date of birth."
    )
    birth_date = serializers.SerializerMethodField(
        help_text="As in the BRP: YYYY-MM-DD, with 00 for an unknown month or day."
    )

    @extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "example": "2015-06-01"})
    def get_birth_date(self, youth) -> str:
        brp = youth.birth_date_brp
        return f"{brp[:4]}-{brp[4:6]}-{brp[6:8]}" if len(brp) == 8 else youth.birth_date.isoformat()


class SignalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=SIGNAL_STATUSES)
    placed_at = serializers.DateTimeField()
    ends_on = serializers.DateField(
        help_text="The last active day (at most 2 years after placing or extending, minus a day; never on or after "
        "the 23rd birthday). The signal is archived the day after."
    )
    extension_count = serializers.IntegerField(help_text="How often the signal was extended (the same signal).")
    informing_status = serializers.ChoiceField(choices=INFORMING_STATUSES)
    ended_at = serializers.DateTimeField(allow_null=True)
    end_reason = serializers.SerializerMethodField()
    archive_until = serializers.DateField(allow_null=True, help_text="The day an archived signal is destroyed.")
    expected_birth_date = serializers.DateField(
        allow_null=True, help_text="For a signal placed on an unborn child: the expected date of birth it was given."
    )
    professional = ProfessionalSerializer()
    youth = YouthSerializer()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_end_reason(self, signal) -> str | None:
        return signal.end_reason or None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # datetimes in the deployment's time zone, as the professionals see them
        for name in ("placed_at", "ended_at"):
            value = getattr(instance, name)
            if value is not None:
                data[name] = timezone.localtime(value).isoformat()
        return data


class SignalEndResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    outcome = serializers.ChoiceField(
        choices=("archived", "destroyed"), help_text="`archived` for concern_gone, `destroyed` for placed_wrongly."
    )
    end_reason = serializers.ChoiceField(choices=API_END_REASONS)
    archive_until = serializers.DateField(allow_null=True)


class ContactSerializer(serializers.Serializer):
    """A professional as matched colleagues see them: the contact details recorded with the signal."""

    name = serializers.CharField(source="contact_name")
    organisation = serializers.CharField(source="organisation.name")
    email = serializers.EmailField(source="contact_email")
    phone = serializers.CharField(source="contact_phone")


class MatchYouthSerializer(serializers.Serializer):
    """A youth in the match as the signal's professional may see it: their own youth by name, others not."""

    label = serializers.CharField(
        help_text='The own youth\'s name; another youth as "broer/zus" or "jeugdige op hetzelfde adres".'
    )
    birth_year = serializers.IntegerField()
    own = serializers.BooleanField(source="is_own")


class MatchParticipantSerializer(serializers.Serializer):
    """A signal in the match: its professional's contact details (of its time, when archived), never a BSN."""

    reference = serializers.CharField(source="signal.reference")
    status = serializers.ChoiceField(source="signal.status", choices=SIGNAL_STATUSES)
    archived = serializers.BooleanField(source="is_archived", help_text="History: archived signals are never told.")
    own = serializers.BooleanField(source="is_own")
    coordinator = serializers.BooleanField(source="is_coordinator")
    youth = serializers.CharField(source="youth_label")
    joined_at = serializers.DateTimeField()
    contact_made_on = serializers.DateField(
        allow_null=True,
        help_text="Null until recorded, and for a professional whose signals in the match are archived.",
    )
    professional = ContactSerializer(source="signal")
    covered_by = serializers.ListField(
        child=serializers.CharField(),
        source="cover_names",
        help_text="Colleagues covering for this professional today (waarneming); empty for an archived signal.",
    )


class CoordinatorContactSerializer(serializers.Serializer):
    """The one match coordinator: a professional of this match, or of another region's index in the national match."""

    name = serializers.CharField()
    organisation = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    elsewhere = serializers.BooleanField(
        help_text="True when the coordinator is a professional outside this match (another region's index)."
    )


class RemoteParticipantSerializer(serializers.Serializer):
    """A professional in another region's index in the national match: contact details only, never a youth."""

    name = serializers.CharField()
    organisation = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    index = serializers.CharField(source="deployment", help_text="The other region's index (its federation id).")
    archived = serializers.BooleanField(help_text="History: archived signals are never told.")
    coordinator = serializers.BooleanField(source="is_coordinator")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=("youth", "parent", "address")),
        help_text="What links them: the same youth, a shared parent, the same address.",
    )
    joined_at = serializers.DateTimeField(source="since")


class MatchObjectSerializer(serializers.Serializer):
    """The match (one per family): its reference, youths, participants, coordinator and follow-up."""

    reference = serializers.CharField(help_text="Shown to everyone in the match, e.g. M-000123.")
    national_reference = serializers.CharField(
        help_text="The national match (L-000123) when the match reaches into other regions' indexes, else empty."
    )
    created_at = serializers.DateTimeField(source="match.created_at")
    youths = MatchYouthSerializer(many=True)
    coordinator = CoordinatorContactSerializer(
        source="coordinator_contact",
        allow_null=True,
        help_text="The one match coordinator (matchregisseur), the same on every page, e-mail and API answer.",
    )
    coordination_agreed_on = serializers.DateField(
        allow_null=True,
        help_text="The date coordination was agreed; null for a professional whose signals in the match are archived.",
    )
    participants = MatchParticipantSerializer(many=True)
    remote_participants = RemoteParticipantSerializer(
        source="remote",
        many=True,
        help_text="Professionals in other regions' indexes in the national match (archived ones as history).",
    )


class FollowUpSerializer(serializers.Serializer):
    contact_made_on = serializers.DateField(allow_null=True)
    coordination_agreed_on = serializers.DateField(allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True, read_only=True)

    def validate(self, attrs):
        today = timezone.localdate()
        for name in ("contact_made_on", "coordination_agreed_on"):
            if attrs.get(name) and attrs[name] > today:
                raise serializers.ValidationError({name: serializers.ErrorDetail("future", code="date_in_future")})
        return attrs


class SignalMatchesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    match = MatchObjectSerializer(
        allow_null=True,
        help_text=(
            "The match this signal is in, or null. A professional whose signal is archived sees the match as it "
            "was at the archiving."
        ),
    )
