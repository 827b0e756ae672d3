"""Two mirror-image regions with every role and object, for the permission matrix.

Region A and region B are built the same way, so "the same role in the other region" is always at
hand: a role of B asking for A's objects (IDOR) and a role of A on B's host must both be refused.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import Membership, Role
from api.services import api_client_create
from federation.models import FederatedSignal, NationalHandover, RemoteParticipant
from matching.models import Match, MatchLink, MatchParticipation
from matching.services import match_detect, match_handover_propose
from persons.bsn import bsn_pseudonym
from regions.models import InstitutionalAddress, MoveNotice, Sector, Subtype
from rights.models import IdentityCheckMethod, RequesterCapacity, RequestKind
from rights.services import rights_advice_request, rights_request_complete, rights_request_register
from signals.models import Cover, Signal
from tests.accounts.factories import (
    MembershipFactory,
    UserFactory,
    followup_monitor,
    municipal_staff,
    organisation_coordinator,
    process_manager,
    professional,
)
from tests.conftest import client_for
from tests.persons.factories import FREE_BSNS, YouthFactory
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory
from tests.signals.factories import SignalFactory

# The roles of the matrix, each a user of the region the world is built for.
ANONYMOUS = "anonymous"
OWNER = "owner"  # professional of the signalling organisation, holds the signal
MATCHED = "matched"  # professional of another organisation with a signal on the same youth
UNMATCHED = "unmatched"  # professional of another organisation with no signal on the youth
COLLEAGUE = "colleague"  # professional of the owner's own organisation without a signal on the youth
COORDINATOR = "coordinator"  # organisation coordinator of the owner's organisation
PROCESS_MANAGER = "process_manager"
MONITOR = "monitor"
MUNICIPAL_STAFF = "municipal_staff"
ADMINISTRATOR = "administrator"

ROLES = (
    ANONYMOUS,
    OWNER,
    MATCHED,
    UNMATCHED,
    COLLEAGUE,
    COORDINATOR,
    PROCESS_MANAGER,
    MONITOR,
    MUNICIPAL_STAFF,
    ADMINISTRATOR,
)


@dataclass
class World:
    region: object
    host: str
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    _sessions: dict = field(default_factory=dict)

    def client(self, role: str, host: str | None = None) -> Client:
        """A client for this role, logged in with two factors once (the session is reused), on a host."""
        if role == ANONYMOUS:
            return Client(HTTP_HOST=host or self.host)
        if role not in self._sessions:
            logged_in = client_for(self.users[role], self.region, host=self.host)
            self._sessions[role] = logged_in.cookies[settings.SESSION_COOKIE_NAME].value
        client = Client(HTTP_HOST=host or self.host)
        client.cookies[settings.SESSION_COOKIE_NAME] = self._sessions[role]
        return client

    def log_everyone_in(self) -> None:
        for role in ROLES:
            self.client(role)


def build_world(*, slug: str, name: str, cbs_code: str, prefix: str) -> World:
    region = RegionFactory(slug=slug, name=name, unborn_signals_allowed=True)
    municipality = MunicipalityFactory(cbs_code=cbs_code, name=f"Gemeente {prefix}", region=region)
    own_org = OrganisationFactory(region=region, code=f"{prefix}-jeugdhulp", sector=Sector.YOUTH_CARE)
    other_org = OrganisationFactory(
        region=region, code=f"{prefix}-school", sector=Sector.EDUCATION, subtype=Subtype.SCHOOL
    )
    owner = professional(own_org)
    matched = professional(other_org)
    users = {
        OWNER: owner,
        MATCHED: matched,
        UNMATCHED: professional(other_org),
        COLLEAGUE: professional(own_org),
        COORDINATOR: organisation_coordinator(own_org),
        PROCESS_MANAGER: process_manager(region),
        MONITOR: followup_monitor(region),
        MUNICIPAL_STAFF: municipal_staff(municipality),
        ADMINISTRATOR: MembershipFactory(
            role=Role.SYSTEM_ADMINISTRATOR,
            organisation=None,
            user=UserFactory(is_staff=True, is_superuser=True),
        ).user,
    }
    youth_bsn = next(FREE_BSNS)
    youth = YouthFactory(bsn=youth_bsn, municipality_code=cbs_code)
    own_signal = SignalFactory(youth=youth, organisation=own_org, professional=owner)
    matched_signal = SignalFactory(youth=youth, organisation=other_org, professional=matched)
    match_detect(signal_id=own_signal.pk)
    match_detect(signal_id=matched_signal.pk)
    # the owner's signal on the unborn child of a pregnant woman (docs/adr/0030-unborn-children.md)
    unborn = YouthFactory(
        bsn=next(FREE_BSNS),
        municipality_code=cbs_code,
        unborn_mother_pseudonym=bsn_pseudonym(next(FREE_BSNS)),
        birth_date=datetime.date.today() + datetime.timedelta(days=90),
    )
    unborn_signal = SignalFactory(
        youth=unborn,
        organisation=own_org,
        professional=owner,
        expected_birth_date=datetime.date.today() + datetime.timedelta(days=90),
    )
    # the match is a month old and nobody recorded follow-up: the monitor's list shows it
    month_ago = timezone.now() - datetime.timedelta(days=30)
    MatchLink.objects.filter(signal_b=matched_signal).update(created_at=month_ago)
    match = MatchParticipation.objects.get(signal=own_signal).match
    Match.objects.filter(pk=match.pk).update(created_at=month_ago)
    MatchParticipation.objects.filter(match=match).update(joined_at=month_ago)
    # the owner (coordinator by the earliest signal) proposes to hand over to the matched colleague
    match_handover_propose(match=match, actor=owner, to_signal_id=matched_signal.pk)

    def rights_request(kind: str):
        return rights_request_register(
            actor=users[MUNICIPAL_STAFF],
            municipality=municipality,
            kind=kind,
            bsn=youth_bsn,
            requester_name="Ouder van de jeugdige",
            requester_capacity=RequesterCapacity.PARENT,
            identity_checked=True,
            identity_check_method=IdentityCheckMethod.ID_DOCUMENT,
            received_on=datetime.date.today(),
        )

    copy_request = rights_request(RequestKind.COPY)
    # an inspection already handed over: its decision letter can be made
    completed_request = rights_request_complete(
        rights_request=rights_request(RequestKind.INSPECTION), actor=users[MUNICIPAL_STAFF]
    )
    objection = rights_request(RequestKind.OBJECTION)
    (advice_task,) = rights_advice_request(
        rights_request=objection, signal_ids=[own_signal.pk], actor=users[MUNICIPAL_STAFF]
    )
    institutional_address = InstitutionalAddress.objects.create(
        region=region, bag_pseudonym=f"{prefix}-bag", postcode="3511AA", house_number=1, description="Opvanghuis"
    )
    move_notice = MoveNotice.objects.create(
        region=region, from_municipality_code="0000", to_municipality_code=cbs_code, signal_references=["VI-0000001"]
    )
    # the colleague will cover for the owner from tomorrow (so today the colleague may not act on the signal)
    cover = Cover.objects.create(
        organisation=own_org,
        absent=owner,
        covering=users[COLLEAGUE],
        starts_on=datetime.date.today() + datetime.timedelta(days=1),
        ends_on=datetime.date.today() + datetime.timedelta(days=8),
        created_by=owner,
    )
    # the owner's signal coordinates a national match (issue #22: its follow-up page is the owner's); the test
    # settings name no deployment, so the coordinator is "this deployment" by the empty name
    FederatedSignal.objects.create(
        signal_id=own_signal.pk,
        reference=f"{prefix}-federated-reference-own",
        national_match=f"L-{prefix}",
        coordinator_deployment=settings.FEDERATION_DEPLOYMENT_ID,
        coordinator_reference=f"{prefix}-federated-reference-own",
    )
    # a professional of another deployment in that national match (the owner may propose a hand-over to them), and
    # a hand-over proposed from another deployment to the matched professional's signal (their accept page)
    RemoteParticipant.objects.create(
        signal_id=own_signal.pk,
        deployment="region-x",
        reference=f"{prefix}-federated-reference-remote",
        contact_name="Professional elders",
        organisation="Jeugdteam elders",
        contact_email=f"{prefix}-elders@example.nl",
        placed_on=datetime.date.today(),
    )
    FederatedSignal.objects.create(
        signal_id=matched_signal.pk,
        reference=f"{prefix}-federated-reference-matched",
        national_match=f"L-{prefix}",
        coordinator_deployment="region-x",
        coordinator_reference=f"{prefix}-federated-reference-remote",
    )
    NationalHandover.objects.create(
        signal_id=matched_signal.pk,
        direction="in",
        other_deployment="region-x",
        other_reference=f"{prefix}-federated-reference-remote",
    )
    api_client, _token = api_client_create(
        organisation=own_org, name="Cliëntregistratie", created_by=users[COORDINATOR]
    )
    return World(
        region=region,
        host=f"{slug}.localhost",
        users=users,
        objects={
            "municipality": municipality,
            "organisation": own_org,
            "youth": youth,
            "signal": own_signal,
            "unborn_signal": unborn_signal,
            "matched_signal": Signal.objects.get(pk=matched_signal.pk),
            "owner_membership": Membership.objects.get(user=owner, role=Role.PROFESSIONAL),
            "match": Match.objects.get(pk=match.pk),
            "api_client": api_client,
            "cover": cover,
            "copy_request": copy_request,
            "completed_request": completed_request,
            "institutional_address": institutional_address,
            "move_notice": move_notice,
            "objection": objection,
            "advice_task": advice_task,
        },
    )
