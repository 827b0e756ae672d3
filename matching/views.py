"""Match pages for professionals: my matches, the matches of one own signal, hand-over and follow-up."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import role_required
from audit.services import log_event
from verwijsindex.form_pages import form_data

from . import selectors, services
from .exceptions import MatchActionRefused
from .forms import DecisionForm, FollowUpForm, HandoverForm


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def my_matches(request):
    """The own matches; what is newer than the last "seen" is marked new. Only the POST (the button) marks seen:
    opening the page changes nothing (a prefetch or a link preview must not swallow the news)."""
    if request.method == "POST":
        services.match_overview_visited(user=request.user)
        return redirect("matching:my_matches")
    seen_before = selectors.match_overview_last_visit(user=request.user)
    overview = selectors.my_matches(
        user=request.user, region=request.region, seen_before=seen_before, page_number=request.GET.get("pagina")
    )
    return render(
        request,
        "matching/my_matches.html",
        {
            "title": _("Mijn matches"),
            "rows": overview.rows,
            "page": overview.page,
            "seen_before": seen_before,
            "new_count": overview.new_count,
        },
    )


def _signal_or_404(request, signal_id):
    signal = selectors.own_signal(user=request.user, region=request.region, signal_id=signal_id)
    if signal is None:
        raise Http404
    return signal


@role_required(Role.PROFESSIONAL)
def signal_matches(request, signal_id: int):
    signal = _signal_or_404(request, signal_id)
    coordinator = selectors.coordinator_of_youth(signal.youth_id)
    is_coordinator = (
        coordinator is not None and coordinator.signal_id and coordinator.signal.professional_id == (request.user.pk)
    )
    proposed_to_me = (
        coordinator is not None
        and coordinator.proposed_signal_id is not None
        and coordinator.proposed_signal.professional_id == request.user.pk
    )
    handover_form = None
    if is_coordinator and signal.status == "active":
        participants = [
            s
            for s in selectors.coordinator_participants(coordinator=coordinator)
            if s.professional_id != request.user.pk
        ]
        if participants:
            handover_form = HandoverForm(participants=participants)
    log_event(action="matches_viewed", request=request, youth_pseudonym=signal.youth.pseudonym, signal_id=signal.pk)
    return render(
        request,
        "matching/signal_matches.html",
        {
            "title": _("Matches bij signaal %(reference)s") % {"reference": signal.reference},
            "signal": signal,
            "matches": selectors.matches_of_signal(user=request.user, signal=signal),
            "coordinator": coordinator,
            "is_coordinator": is_coordinator,
            "proposed_to_me": proposed_to_me,
            "handover_form": handover_form,
            "follow_up": selectors.follow_up_of_youth(signal.youth_id) if is_coordinator else None,
        },
    )


def _back_to_signal(request, coordinator):
    """Back to the user's own signal on this youth (or to "My matches" when their signal is on a sibling)."""
    signal_id = next(
        (
            s.pk
            for s in (coordinator.signal, coordinator.proposed_signal)
            if s is not None and s.professional_id == request.user.pk
        ),
        None,
    )
    if signal_id is None:
        return redirect("matching:my_matches")
    return redirect("matching:signal_matches", signal_id=signal_id)


@require_POST
@role_required(Role.PROFESSIONAL)
def coordinator_handover(request, coordinator_id: int):
    coordinator = selectors.coordinator_for_coordinator(
        user=request.user, region=request.region, coordinator_id=coordinator_id
    )
    if coordinator is None:
        raise Http404
    participants = [
        s for s in selectors.coordinator_participants(coordinator=coordinator) if s.professional_id != request.user.pk
    ]
    form = HandoverForm(request.POST, participants=participants)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_signal(request, coordinator)
    target = next(s for s in participants if s.pk == form.cleaned_data["signal"])
    try:
        services.match_coordinator_propose(coordinator=coordinator, actor=request.user, to_signal=target)
    except MatchActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Uw voorstel is verstuurd. %(name)s wordt matchregisseur na acceptatie.") % {"name": target.contact_name},
        )
    return _back_to_signal(request, coordinator)


@require_POST
@role_required(Role.PROFESSIONAL)
def coordinator_decision(request, coordinator_id: int):
    coordinator = selectors.coordinator_for_proposed(
        user=request.user, region=request.region, coordinator_id=coordinator_id
    )
    if coordinator is None:
        raise Http404
    form = DecisionForm(request.POST)
    target = redirect("matching:signal_matches", signal_id=coordinator.proposed_signal_id)
    if not form.is_valid():
        messages.error(request, _("Kies of u de matchregie accepteert of weigert."))
        return target
    try:
        if form.cleaned_data["decision"] == "accept":
            services.match_coordinator_accept(coordinator=coordinator, actor=request.user)
            messages.success(request, _("U bent nu de matchregisseur. De andere betrokkenen krijgen bericht."))
        else:
            services.match_coordinator_decline(coordinator=coordinator, actor=request.user)
            messages.info(request, _("U heeft het verzoek geweigerd."))
    except MatchActionRefused as refusal:
        messages.error(request, refusal.message)
    return target


@role_required(Role.PROFESSIONAL)
def follow_up(request, coordinator_id: int):
    coordinator = selectors.coordinator_for_coordinator(
        user=request.user, region=request.region, coordinator_id=coordinator_id
    )
    if coordinator is None:
        raise Http404
    existing = selectors.follow_up_of_youth(coordinator.youth_id)
    initial = (
        {"contact_made_on": existing.contact_made_on, "coordination_agreed_on": existing.coordination_agreed_on}
        if existing
        else {}
    )
    form = FollowUpForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_follow_up_record(
                coordinator=coordinator,
                actor=request.user,
                contact_made_on=form.cleaned_data["contact_made_on"],
                coordination_agreed_on=form.cleaned_data["coordination_agreed_on"],
            )
        except MatchActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("De opvolging is vastgelegd."))
            return redirect(reverse("matching:signal_matches", args=[coordinator.signal_id]))
    return render(
        request,
        "matching/follow_up.html",
        {"title": _("Opvolging van de match"), "form": form, "coordinator": coordinator, "follow_up": existing},
    )
