"""Match pages: my matches, one match, its hand-over and follow-up, and the region's follow-up monitor."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from audit import events as audit_events
from core.form_pages import form_data

from . import hooks, monitor, selectors, services
from .exceptions import MatchActionRefused
from .forms import DecisionForm, FollowUpForm, FollowupNoteForm, HandoverForm


@role_required(Role.PROFESSIONAL)
def my_matches(request):
    seen_before = selectors.match_overview_seen_at(user=request.user)
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


@require_POST
@role_required(Role.PROFESSIONAL)
def my_matches_seen(request):
    """Mark as seen: what is shown as new is new since this moment (issue 16: a GET never changes state)."""
    services.match_overview_visited(user=request.user)
    messages.success(request, _("Gemarkeerd als gezien: wat hierna bijkomt, ziet u als nieuw."))
    return redirect("matching:my_matches")


def _view_or_404(request, reference):
    view = selectors.match_for_professional(user=request.user, region=request.region, reference=reference)
    if view is None:
        raise Http404
    return view


def _handover_form(request, view, data=None):
    if not (view.is_coordinator and view.viewer_active):
        return None
    # not to oneself, nor (for a covering colleague) to the absent coordinator they act for
    ours = {request.user.pk} | {s.professional_id for s in view.own}
    candidates = [s for s in selectors.participants_of(view.match) if s.professional_id not in ours]
    return HandoverForm(data, participants=candidates) if candidates else None


@role_required(Role.PROFESSIONAL)
def match(request, reference: str):
    view = _view_or_404(request, reference)
    audit_events.matches_viewed(
        request=request,
        youth_pseudonym=view.own[0].youth.pseudonym,
        signal_id=view.own[0].pk,
        match=view.reference,
    )
    return render(
        request,
        "matching/match.html",
        {
            "title": _("Match %(reference)s") % {"reference": view.reference},
            "view": view,
            "handover_form": _handover_form(request, view),
        },
    )


@role_required(Role.PROFESSIONAL)
def signal_matches(request, signal_id: int):
    """The match of one own signal (links in older e-mails point here)."""
    signal = selectors.own_signal(user=request.user, region=request.region, signal_id=signal_id)
    if signal is None:
        raise Http404
    found = selectors.match_of_signal(signal)
    if found is None:
        # matched only with professionals of other regions' indexes: their national match page
        national = hooks.national_page(signal)
        if national:
            return redirect(national)
        return render(
            request,
            "matching/no_match.html",
            {"title": _("Matches bij signaal %(reference)s") % {"reference": signal.reference}, "signal": signal},
        )
    return redirect("matching:match", reference=found.reference)


def _match_or_404(request, reference):
    found = selectors.match_of_professional(user=request.user, region=request.region, reference=reference)
    if found is None:
        raise Http404
    return found


def _decided_nationally(view) -> bool:
    """The match takes the coordinator decided for its national match (federation): a hand-over goes through it."""
    return view.national is not None and view.national.decided


@require_POST
@role_required(Role.PROFESSIONAL)
def handover_propose(request, reference: str):
    view = _view_or_404(request, reference)
    form = _handover_form(request, view, request.POST)
    if form is None:  # only the coordinator proposes
        raise Http404
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("matching:match", reference=view.reference)
    try:
        services.match_handover_propose(match=view.match, actor=request.user, to_signal_id=form.cleaned_data["signal"])
    except MatchActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if _decided_nationally(view):
            messages.success(
                request,
                _(
                    "Uw voorstel gaat via de landelijke verwijsindex, omdat deze match deel is van landelijke match "
                    "%(national)s. De matchregie gaat over zodra het is geaccepteerd; iedereen in de landelijke match "
                    "krijgt dan bericht."
                )
                % {"national": view.national_reference},
            )
        else:
            messages.success(request, _("Uw voorstel is verstuurd. De matchregie gaat over zodra het is geaccepteerd."))
    return redirect("matching:match", reference=view.reference)


@role_required(Role.PROFESSIONAL)
def handover(request, reference: str):
    """The page the proposed professional's e-mail links to: accept or decline (for nobody else)."""
    view = _view_or_404(request, reference)
    if not view.proposed_to_viewer:
        if request.method == "POST":
            raise Http404
        # the link of an older e-mail: the proposal was answered, withdrawn or made to someone else since
        messages.info(
            request,
            _(
                "Er wacht geen overdracht van de matchregie van match %(reference)s op u: "
                "het verzoek is al afgehandeld of ingetrokken."
            )
            % {"reference": view.reference},
        )
        return redirect("matching:match", reference=view.reference)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["decision"][0])
            return redirect("matching:handover", reference=view.reference)
        try:
            if form.cleaned_data["decision"] == "accept":
                services.match_handover_accept(match=view.match, actor=request.user)
                if _decided_nationally(view):
                    messages.success(
                        request,
                        _(
                            "U neemt de matchregie over. Dat gaat via de landelijke verwijsindex (landelijke match "
                            "%(national)s): zodra die het heeft verwerkt, bent u de matchregisseur en krijgen de "
                            "andere betrokkenen bericht."
                        )
                        % {"national": view.national_reference},
                    )
                else:
                    messages.success(request, _("U bent nu de matchregisseur. De andere betrokkenen krijgen bericht."))
            else:
                services.match_handover_decline(match=view.match, actor=request.user)
                messages.info(request, _("U heeft het verzoek geweigerd. De matchregisseur krijgt bericht."))
        except MatchActionRefused as refusal:
            messages.error(request, refusal.message)
        return redirect("matching:match", reference=view.reference)
    return render(
        request,
        "matching/handover.html",
        {"title": _("Matchregie van match %(reference)s") % {"reference": view.reference}, "view": view},
    )


@role_required(Role.PROFESSIONAL)
def follow_up(request, reference: str):
    view = _view_or_404(request, reference)
    if not (view.is_coordinator and view.viewer_active):
        raise Http404
    participants = [p.signal for p in view.participants if not p.is_archived and not p.is_own]
    form = FollowUpForm(form_data(request), match=view.match, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_follow_up_record(
                match=view.match,
                actor=request.user,
                contacts=form.contacts,
                coordination_agreed_on=form.cleaned_data["coordination_agreed_on"],
            )
        except MatchActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("De opvolging is vastgelegd."))
            return redirect("matching:match", reference=view.reference)
    return render(
        request,
        "matching/follow_up.html",
        {"title": _("Opvolging van match %(reference)s") % {"reference": view.reference}, "form": form, "view": view},
    )


# --- the region's follow-up monitor --------------------------------------------------------------------------


@role_required(Role.FOLLOWUP_MONITOR)
def monitor_overview(request):
    overdue = list(monitor.matches_overdue(region=request.region)[:200])
    waiting = monitor.waiting_participants(overdue)
    checks = monitor.checks_of(region=request.region, matches=overdue)
    today = timezone.localdate()
    rows = [
        {
            "match": match,
            "waiting_days": (today - timezone.localdate(match.waiting_since)).days,
            "participants": [s for s in waiting[match.pk] if s.pk != match.coordinator_signal_id],
            "checks": checks.get(match.pk, []),
            "form": FollowupNoteForm(prefix=f"m{match.pk}"),
        }
        for match in overdue
    ]
    # national matches whose coordinator here is in no local match: listed, without a note (no match row here)
    rows += [
        {
            "match": row,
            "waiting_days": (today - timezone.localdate(row.waiting_since)).days,
            "participants": row.participants,
            "checks": [],
            "form": None,
            "national": True,
        }
        for row in monitor.matches_overdue_elsewhere(region=request.region)
    ]
    return render(
        request,
        "matching/monitor.html",
        {"rows": rows, "followup_days": request.region.followup_days, "title": _("Opvolging van matches")},
    )


@role_required(Role.FOLLOWUP_MONITOR)
@require_POST
def monitor_check(request, reference: str):
    found = monitor.match_of_region(region=request.region, reference=reference)
    if found is None:
        raise Http404
    form = FollowupNoteForm(request.POST, prefix=f"m{found.pk}")
    if not form.is_valid():
        for error in form.errors["note"]:
            messages.error(request, error)
        return redirect("matching:monitor")
    monitor.follow_up_check_record(
        region=request.region, match=found, monitor=request.user, note=form.cleaned_data["note"], request=request
    )
    messages.success(request, _("Vastgelegd dat u match %(ref)s heeft opgevolgd.") % {"ref": found.reference})
    return redirect("matching:monitor")
