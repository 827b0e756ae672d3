"""A regional deployment's federation views: the endpoint the hub calls (only the hub's certificate) and the
national match page of an own signal."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from audit import events as audit_events
from core.form_pages import form_data
from matching.exceptions import MatchActionRefused
from matching.forms import DecisionForm

from . import followup, handover, regional, rights, selectors, trust
from .forms import NationalFollowUpForm, NationalHandoverForm
from .protocol import federation_endpoint


def _the_hub(request) -> trust.Peer:
    certificate = trust.client_certificate(request)
    hub = trust.hub_certificate()
    if trust.fingerprint(certificate) != trust.fingerprint(hub):
        raise trust.TrustError("only the hub may call")
    return trust.Peer(deployment="hub", certificate=hub, url=settings.FEDERATION_HUB_URL)


@federation_endpoint(_the_hub)
def exchange(peer, data):
    return regional.exchange_receive(data=data)


# the answer names organisations and professionals of our signals: not kept for idempotency (answered again)
@federation_endpoint(_the_hub, remember_answer=False)
def rights_inquiry(peer, data):
    return rights.rights_inquiry_answer(data=data)


@role_required(Role.PROFESSIONAL)
def national_match(request, signal_id: int):
    """The national match of one own signal: the professionals of other deployments and the one coordinator."""
    view = selectors.national_match_of_own_signal(user=request.user, region=request.region, signal_id=signal_id)
    if view is None:
        raise Http404
    audit_events.matches_viewed(
        request=request,
        youth_pseudonym=view.signal.youth.pseudonym,
        signal_id=view.signal.pk,
        match=view.reference,
    )
    return render(
        request,
        "federation/national_match.html",
        {
            "title": _("Landelijke match bij signaal %(reference)s") % {"reference": view.signal.reference},
            "view": view,
            "follow_up": followup.follow_up_shown(signal=view.signal),
            **_handover_context(view),
        },
    )


def _handover_context(view) -> dict:
    """The hand-over across deployments on the national match page: the form for the coordinator, a pending
    proposal either way."""
    if view.signal.status != "active":
        return {}
    federated = selectors.federated_of(view.signal)
    candidates = handover.handover_choices(federated, view.signal)
    proposed = handover.pending(view.signal, "out")
    return {
        "handover_form": NationalHandoverForm(candidates=candidates) if candidates else None,
        "handover_proposed_to": handover.remote_contact(
            view.signal, proposed.other_deployment, proposed.other_reference
        )
        if proposed
        else None,
        "handover_for_you": handover.pending(view.signal, "in") is not None,
        # said as it is while the hub has not received them (it may be down): the outbox sends them later
        "handover_proposal_unsent": proposed is not None and handover.unsent(view.signal, "handover_propose"),
        "handover_answer_unsent": not view.you_are_coordinator and handover.unsent(view.signal, "handover_answer"),
        "follow_up_unsent": view.you_are_coordinator and handover.unsent(view.signal, "follow_up"),
    }


@federation_endpoint(_the_hub, remember_answer=False)
def follow_up_receive(peer, data):
    """The follow-up of a national match, relayed by the hub from its coordinator in another deployment."""
    return followup.follow_up_receive(data=data)


@role_required(Role.PROFESSIONAL)
def national_follow_up(request, signal_id: int):
    """The national coordinator records contact with the professionals of other deployments and the agreement."""
    view = selectors.national_match_of_own_signal(user=request.user, region=request.region, signal_id=signal_id)
    shown = followup.follow_up_shown(signal=view.signal) if view is not None else None
    if shown is None or not shown.you_record:
        raise Http404
    federated = selectors.federated_of(view.signal)
    remotes = followup.remote_participants_of(shown.national_match)
    local_missing = any(not c["contact_made_on"] for c in followup.local_contacts_of(federated))
    form = NationalFollowUpForm(
        form_data(request),
        remotes=remotes,
        record=followup.record_of(federated),
        arose=followup.arose_on(shown.national_match),
        local_missing=local_missing,
    )
    if request.method == "POST" and form.is_valid():
        try:
            followup.national_follow_up_record(
                signal=view.signal,
                actor=request.user,
                contacts=form.contacts,
                coordination_agreed_on=form.cleaned_data["coordination_agreed_on"],
            )
        except MatchActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("De opvolging is vastgelegd en gaat naar de andere verwijsindexen."))
            return redirect("federation:national_match", signal_id=view.signal.pk)
    return render(
        request,
        "federation/national_follow_up.html",
        {
            "title": _("Opvolging van landelijke match %(reference)s") % {"reference": shown.national_match},
            "form": form,
            "view": view,
        },
    )


@require_POST
@role_required(Role.PROFESSIONAL)
def national_handover_propose(request, signal_id: int):
    """The national coordinator proposes a professional of another deployment as the next coordinator."""
    view = selectors.national_match_of_own_signal(user=request.user, region=request.region, signal_id=signal_id)
    candidates = handover.handover_choices(selectors.federated_of(view.signal), view.signal) if view is not None else []
    if not candidates:
        raise Http404
    form = NationalHandoverForm(request.POST, candidates=candidates)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            handover.national_handover_propose(signal=view.signal, actor=request.user, to=form.target)
        except MatchActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            # through the outbox: the hub may be down, so "sent" would not be true yet
            proposed = handover.remote_contact(view.signal, *form.target) or {"name": ""}
            messages.success(
                request,
                _(
                    "Uw voorstel gaat via de landelijke hub naar %(name)s. De matchregie gaat over zodra die het "
                    "accepteert."
                )
                % {"name": proposed["name"]},
            )
    return redirect("federation:national_match", signal_id=view.signal.pk)


@role_required(Role.PROFESSIONAL)
def national_handover(request, signal_id: int):
    """The page the proposed professional's e-mail links to: accept or decline (for nobody else)."""
    view = selectors.national_match_of_own_signal(user=request.user, region=request.region, signal_id=signal_id)
    proposal = handover.pending(view.signal, "in") if view is not None else None
    if proposal is None or view.signal.status != "active":
        raise Http404
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["decision"][0])
            return redirect("federation:national_handover", signal_id=view.signal.pk)
        accept = form.cleaned_data["decision"] == "accept"
        try:
            handover.national_handover_answer(signal=view.signal, actor=request.user, accept=accept)
        except MatchActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            # the hub names the new coordinator: until it has the answer, the present one stays (every page says so)
            if accept:
                messages.success(
                    request,
                    _(
                        "U heeft de matchregie geaccepteerd. Uw antwoord gaat via de landelijke hub; zodra die het "
                        "bevestigt, bent u de matchregisseur en krijgen de andere betrokkenen bericht."
                    ),
                )
            else:
                messages.info(
                    request,
                    _("U heeft het verzoek geweigerd. Uw antwoord gaat via de landelijke hub naar de matchregisseur."),
                )
        return redirect("federation:national_match", signal_id=view.signal.pk)
    return render(
        request,
        "federation/national_handover.html",
        {
            "title": _("Matchregie van landelijke match %(reference)s") % {"reference": view.reference},
            "view": view,
            "coordinator": handover.remote_contact(view.signal, proposal.other_deployment, proposal.other_reference),
        },
    )
