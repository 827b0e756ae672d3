"""Runs inside one deployment's process for the federation test: `python -m tests.federation.deployment STEPS`.

The steps are a JSON list of [command, {arguments}]; the answers are printed as one JSON list. The environment
(DATABASE_URL, DJANGO_SETTINGS_MODULE, FEDERATION_*) chooses the deployment.
"""

import json
import sys


def _setup():
    import django

    django.setup()


def seed(*, deployment: str, professionals: list[str]) -> dict:
    """A region serving 's-Gravenhage (0518) with one organisation and these professionals (by full name)."""
    from tests.accounts.factories import professional
    from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

    region = RegionFactory(slug=f"regio-{deployment}", name=f"Verwijsindex {deployment}")
    MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=region)
    organisation = OrganisationFactory(region=region, name=f"Jeugdteam {deployment}", code=f"jt-{deployment}")
    users = {}
    for index, name in enumerate(professionals):
        user = professional(organisation, user__full_name=name, user__email=f"prof{index}.{deployment}@example.nl")
        users[name] = user.pk
    return {"organisation": organisation.pk, "users": users}


def place(*, bsn: str, professional: str) -> dict:
    from django.utils import timezone

    from accounts.models import User
    from persons.services import youth_by_bsn
    from signals.services import signal_place
    from tests.signals.factories import informed

    user = User.objects.get(full_name=professional)
    organisation = user.memberships.first().organisation
    youth = youth_by_bsn(bsn=bsn)
    signal = signal_place(
        professional=user, organisation=organisation, youth=youth, informing=informed(timezone.localdate())
    )
    return {"signal": signal.pk}


def end(*, professional: str, reason: str) -> dict:
    from signals.models import Signal
    from signals.services import signal_end

    signal = Signal.objects.get(professional__full_name=professional, status="active")
    signal_end(signal=signal, reason=reason)
    return {"ended": professional}


def detect_and_send() -> dict:
    """What the worker does after a placement: local detection, then the federation outbox."""
    from federation import regional
    from matching.services import matches_detect_pending

    matches_detect_pending()
    return regional.outbox_send()


def send() -> dict:
    from federation import regional

    return regional.outbox_send()


def state() -> dict:
    from federation.models import FederatedSignal, OutboxMessage, RemoteParticipant
    from notifications.models import Notification
    from signals.models import Signal

    signals = {s.pk: s for s in Signal.objects.select_related("professional")}
    return {
        "federated": [
            {
                "signal": f.signal_id,
                "professional": signals[f.signal_id].professional.full_name if f.signal_id in signals else None,
                "reference": f.reference,
                "national_match": f.national_match,
                "coordinator": [f.coordinator_deployment, f.coordinator_reference],
            }
            for f in FederatedSignal.objects.order_by("signal_id")
        ],
        "outbox": [[m.operation, m.state, m.attempts] for m in OutboxMessage.objects.order_by("id")],
        "remote": [
            [r.signal_id, r.deployment, r.reference, r.contact_name, r.state]
            for r in RemoteParticipant.objects.order_by("id")
        ],
        "mails": [
            {
                "to": n.recipient.full_name,
                "subject": n.subject,
                "match": n.context.get("match_reference"),
                "coordinator": (n.context.get("coordinator") or {}).get("name"),
                "others": [o["name"] for m in n.context.get("matches", []) for o in m.get("others", [])],
                "federated": bool(n.context.get("federated")),
                "kind": n.kind,
                "you_are_coordinator": bool(n.context.get("you_are_coordinator")),
            }
            for n in Notification.objects.select_related("recipient").order_by("id")
        ],
    }


def lookup(*, bsn: str, kind: str = "youth", attempt: str = "") -> dict:
    """Ask the hub about a key (computed through the OPRF like any key) without registering a signal for it.
    `attempt` makes the idempotency keys new (the hub answers a repeated key with its first answer)."""
    import base64
    import uuid

    from federation import oprf, protocol, regional

    value = f"verwijsindex:{kind}:{bsn}".encode()
    blind, blinded = oprf.blind(value)
    try:
        answer = regional._hub_call(
            "/federation/v1/oprf/evaluate/",
            {"blinded": [base64.b64encode(blinded).decode()]},
            f"lookup-oprf{attempt}-{uuid.uuid4().hex}"[:64],
        )
        key = oprf.finalize(value, blind, base64.b64decode(answer["evaluated"][0])).hex()
        found = regional._hub_call(
            "/federation/v1/keys/lookup/",
            {"key_id": answer["key_id"], "key": {"kind": kind, "value": key}},
            # never the BSN in an idempotency key: the hub logs the keys (its database is scanned for BSNs)
            f"lookup{attempt}-{uuid.uuid4().hex}"[:64],
        )
    except protocol.ProtocolError as error:
        return {"status": error.status, "code": error.code}
    return {"status": 200, "answer": found}


def organisation(*, deployment: str, name: str, sector: str, subtype: str, professionals: list[str]) -> dict:
    """Another organisation in this deployment's region, of the given kind, with these professionals."""
    from regions.models import Region
    from tests.accounts.factories import professional
    from tests.regions.factories import OrganisationFactory

    region = Region.objects.get(slug=f"regio-{deployment}")
    made = OrganisationFactory(region=region, name=name, code=f"{sector}-{deployment}", sector=sector, subtype=subtype)
    for index, full_name in enumerate(professionals):
        professional(made, user__full_name=full_name, user__email=f"{sector}{index}.{deployment}@example.nl")
    return {"organisation": made.pk}


def coordinator_rule(*, deployment: str, sector: str, subtype: str = "") -> dict:
    """The region's coordinator rules: this kind of organisation first."""
    from regions.models import CoordinatorRule, Region

    region = Region.objects.get(slug=f"regio-{deployment}")
    CoordinatorRule.objects.create(region=region, position=1, sector=sector, subtype=subtype)
    return {"rules": list(CoordinatorRule.objects.filter(region=region).values_list("sector", flat=True))}


def match_seen(*, professional: str) -> dict:
    """The match of the professional's active signal as its page and the API's matches endpoint show it."""
    from api.selectors import matches_of_client_signal
    from api.serializers import SignalMatchesSerializer
    from matching.selectors import match_of_signal
    from signals.models import Signal
    from tests.conftest import client_for

    signal = Signal.objects.select_related("organisation__region", "professional").get(
        professional__full_name=professional, status="active"
    )
    match = match_of_signal(signal)
    page = client_for(signal.professional, signal.organisation.region).get(f"/matches/{match.reference}/")
    api = SignalMatchesSerializer(matches_of_client_signal(signal=signal)).data
    return {"status": page.status_code, "page": page.content.decode(), "api": json.loads(json.dumps(api, default=str))}


COMMANDS = {
    "organisation": organisation,
    "coordinator_rule": coordinator_rule,
    "match_seen": match_seen,
    "seed": seed,
    "place": place,
    "end": end,
    "detect_and_send": detect_and_send,
    "send": send,
    "state": state,
    "lookup": lookup,
}


def rights_inquire(*, bsn: str, kind: str = "inspection") -> dict:
    """Municipal staff of 's-Gravenhage register a citizen's request and fetch the other deployments' signals."""
    from django.utils import timezone

    from federation import rights
    from regions.models import Municipality
    from rights.services import rights_request_register
    from tests.accounts.factories import municipal_staff

    municipality = Municipality.objects.get(cbs_code="0518")
    staff = municipal_staff(municipality)
    rights_request = rights_request_register(
        actor=staff,
        municipality=municipality,
        kind=kind,
        bsn=bsn,
        requester_name="A. Ouder",
        requester_capacity="parent",
        identity_checked=True,
        identity_check_method="id_document",
        received_on=timezone.localdate(),
        co_requester_name="B. Ouder",
    )
    try:
        rows = rights.remote_signals_fetch(rights_request=rights_request, actor=staff)
        unavailable = []
    except rights.IncompleteAnswer as incomplete:
        rows, unavailable = incomplete.rows, incomplete.unavailable
    return {
        "request": rights_request.pk,
        "reference": rights.rights_reference(rights_request.pk),
        "unavailable": unavailable,
        "signals": [[r.deployment, r.region_name, r.organisation, r.contact_name, r.state] for r in rows],
    }


def rights_unregistered(*, bsn: str) -> dict:
    """Ask the hub about a youth's signals for a request it was never told of (what a searching deployment would)."""
    import secrets

    from federation import protocol, regional, rights

    try:
        key_id, key = rights.youth_key(bsn, idempotency_key=f"search-oprf-{secrets.token_hex(8)}")
        regional.hub_call(
            "/federation/v1/rights/inquire/",
            {"reference": secrets.token_hex(16), "key_id": key_id, "key": {"kind": "youth", "value": key}},
            f"search-{secrets.token_hex(8)}",
        )
    except protocol.ProtocolError as error:
        return {"status": error.status, "code": error.code}
    return {"status": 200}


def logbook(*, action: str) -> list:
    from audit.models import LogEntry

    return [
        {"signal": e.signal_id, "youth": e.youth_pseudonym, "details": e.details}
        for e in LogEntry.objects.filter(action=action).order_by("id")
    ]


def turn_23(*, bsn: str) -> dict:
    """The life cycle run on the day this youth turns 23 (a chosen day, not today): its signals are destroyed, and
    those of any youth born before it."""
    from persons.bsn import bsn_pseudonym
    from persons.models import Youth
    from signals.lifecycle import signals_destroy_turned_23
    from signals.models import Signal
    from signals.rules import turns_23_on

    youth = Youth.objects.get(pseudonym=bsn_pseudonym(bsn))
    as_of = turns_23_on(youth.birth_date)
    before = set(Signal.objects.values_list("professional__full_name", flat=True))
    destroyed = signals_destroy_turned_23(as_of=as_of)
    after = set(Signal.objects.values_list("professional__full_name", flat=True))
    return {"as_of": as_of.isoformat(), "destroyed": destroyed, "professionals": sorted(before - after)}


COMMANDS.update(
    {
        "rights_inquire": rights_inquire,
        "rights_unregistered": rights_unregistered,
        "logbook": logbook,
        "turn_23": turn_23,
    }
)


def national_follow_up(*, professional: str, contacts: dict, agreed: str | None = None) -> dict:
    """The national coordinator records contact with professionals of other deployments (by name) and sends it."""
    import datetime

    from accounts.models import User
    from federation import followup, regional
    from federation.models import FederatedSignal
    from signals.models import Signal

    user = User.objects.get(full_name=professional)
    signal = Signal.objects.get(professional=user, status="active")
    national_match = FederatedSignal.objects.get(signal_id=signal.pk).national_match
    by_name = {r.contact_name: (r.deployment, r.reference) for r in followup.remote_participants_of(national_match)}
    followup.national_follow_up_record(
        signal=signal,
        actor=user,
        contacts={by_name[name]: datetime.date.fromisoformat(on) for name, on in contacts.items()},
        coordination_agreed_on=datetime.date.fromisoformat(agreed) if agreed else None,
    )
    return regional.outbox_send()


def follow_up_shown(*, professional: str) -> dict | None:
    """The national match's follow-up as this professional's page shows it."""
    from federation import followup
    from signals.models import Signal

    signal = Signal.objects.select_related("organisation").get(professional__full_name=professional, status="active")
    shown = followup.follow_up_shown(signal=signal)
    if shown is None:
        return None
    return {
        "national_match": shown.national_match,
        "you_record": shown.you_record,
        "recorded_elsewhere": shown.recorded_elsewhere,
        "agreed": shown.coordination_agreed_on,
        "rows": {row.name: row.contact_made_on for row in shown.rows},
    }


def monitor(*, days_later: int) -> list:
    """What the follow-up monitors of this deployment's regions list that many days from now."""
    import datetime

    from django.utils import timezone

    from matching.monitor import matches_overdue, matches_overdue_elsewhere, waiting_participants
    from regions.models import Region

    listed = []
    for region in Region.objects.order_by("pk"):
        overdue = list(matches_overdue(region=region, as_of=timezone.now() + datetime.timedelta(days=days_later)))
        waiting = waiting_participants(overdue)
        listed += [{"match": m.reference, "waiting": sorted(p.contact_name for p in waiting[m.pk])} for m in overdue]
        as_of = timezone.now() + datetime.timedelta(days=days_later)
        listed += [
            {"match": row.reference, "waiting": sorted(p.contact_name for p in row.participants)}
            for row in matches_overdue_elsewhere(region=region, as_of=as_of)
        ]
    return listed


def handover_propose(*, professional: str, to: str) -> dict:
    """The national coordinator proposes a professional of another deployment (by name) and sends it."""
    from accounts.models import User
    from federation import handover, regional
    from federation.models import FederatedSignal
    from signals.models import Signal

    user = User.objects.get(full_name=professional)
    signal = Signal.objects.get(professional=user, status="active")
    federated = FederatedSignal.objects.get(signal_id=signal.pk)
    target = next(r for r in handover.candidates(federated) if r.contact_name == to)
    handover.national_handover_propose(signal=signal, actor=user, to=(target.deployment, target.reference))
    return regional.outbox_send()


def handover_answer(*, professional: str, accept: bool) -> dict:
    """The proposed professional answers on the accept/decline page (its service), and it is sent."""
    from accounts.models import User
    from federation import handover, regional
    from signals.models import Signal

    user = User.objects.get(full_name=professional)
    signal = Signal.objects.get(professional=user, status="active")
    handover.national_handover_answer(signal=signal, actor=user, accept=accept)
    return regional.outbox_send()


def handover_mails(*, professional: str) -> list:
    from notifications.models import Notification

    return [
        {"kind": n.kind, "url": n.context.get("url"), "match": n.context.get("match_reference")}
        for n in Notification.objects.filter(recipient__full_name=professional, kind__startswith="match_handover")
    ]


def _local_match_of(professional: str):
    from matching.models import MatchParticipation

    return (
        MatchParticipation.objects.select_related("match")
        .get(signal__professional__full_name=professional, signal__status="active")
        .match
    )


def local_handover_propose(*, professional: str, to: str) -> dict:
    """matching's ordinary hand-over on the local match's page (its service), then the outbox."""
    from accounts.models import User
    from federation import regional
    from matching.services import match_handover_propose
    from signals.models import Signal

    target = Signal.objects.get(professional__full_name=to, status="active")
    match_handover_propose(
        match=_local_match_of(professional), actor=User.objects.get(full_name=professional), to_signal_id=target.pk
    )
    return regional.outbox_send()


def local_handover_answer(*, professional: str, accept: bool) -> dict:
    """The proposed professional answers on the local match's hand-over page (matching's service), then the outbox."""
    from accounts.models import User
    from federation import regional
    from matching.services import match_handover_accept, match_handover_decline

    answer = match_handover_accept if accept else match_handover_decline
    answer(match=_local_match_of(professional), actor=User.objects.get(full_name=professional))
    return regional.outbox_send()


def local_coordinator(*, professional: str) -> dict:
    """The local match of this professional's active signal: its reference and the coordinator it names."""
    from federation.models import FederatedSignal

    match = _local_match_of(professional)
    coordinator = match.coordinator_signal
    federated = FederatedSignal.objects.filter(signal_id=coordinator.pk).first() if coordinator else None
    return {
        "match": match.reference,
        "coordinator": coordinator.professional.full_name if coordinator else None,
        "reference": federated.reference if federated else None,
        "elsewhere": match.coordinator_elsewhere,
        "proposed": match.proposed_signal_id,
    }


COMMANDS.update(
    {
        "local_handover_propose": local_handover_propose,
        "local_handover_answer": local_handover_answer,
        "local_coordinator": local_coordinator,
        "national_follow_up": national_follow_up,
        "follow_up_shown": follow_up_shown,
        "monitor": monitor,
        "handover_propose": handover_propose,
        "handover_answer": handover_answer,
        "handover_mails": handover_mails,
    }
)

if __name__ == "__main__":
    # argv[1]: a JSON list of [command, {arguments}]; one process for the lot (Django starts once)
    _setup()
    print(json.dumps([COMMANDS[command](**arguments) for command, arguments in json.loads(sys.argv[1])], default=str))
