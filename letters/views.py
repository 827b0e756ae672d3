"""Letters as a page to print and as a PDF (WeasyPrint), filled in with the region's name, rules, contacts and look."""

from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import role_required
from audit import events as audit_events
from rights import selectors as rights_selectors

from . import selectors

PDF_STYLESHEET = Path(__file__).resolve().parent / "static" / "letters" / "letter-pdf.css"


def _pdf(request, *, template: str, context: dict, filename: str) -> HttpResponse:
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "pdf": True}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[CSS(filename=str(PDF_STYLESHEET))]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _letter_context(request) -> dict:
    region = request.region
    return {
        "region": region,
        "facts": selectors.letter_facts(region=region),
        "colour": selectors.region_primary_colour(region),
        "today": timezone.localdate(),
        "public_url": request.build_absolute_uri("/informatie/"),
    }


def _informing_context(request, group: str) -> dict:
    if group not in selectors.AGE_GROUPS:
        raise Http404()
    organisation = request.membership.organisation
    return {
        **_letter_context(request),
        "group": group,
        "sender": selectors.sender_of_professional(user=request.user, organisation=organisation),
        "title": _("Brief over het signaal (%(group)s)") % {"group": selectors.AGE_GROUPS[group]},
    }


@role_required(Role.PROFESSIONAL)
def informing_letters(request):
    """The three informing letters, one per age group, to print or download before placing a signal."""
    return render(
        request,
        "letters/informing_letters.html",
        {"groups": list(selectors.AGE_GROUPS.items()), "title": _("Brieven om te informeren")},
    )


@role_required(Role.PROFESSIONAL)
def informing_letter(request, group: str):
    return render(request, "letters/informing_page.html", _informing_context(request, group))


@role_required(Role.PROFESSIONAL)
def informing_letter_pdf(request, group: str):
    return _pdf(
        request,
        template="letters/letter_pdf.html",
        context={**_informing_context(request, group), "body": "letters/_informing.html"},
        filename=f"brief-verwijsindex-{group}.pdf",
    )


def _decision_context(request, pk: int):
    """The request if the user is its municipality's staff or its region's process manager; else 404."""
    rights_request = rights_selectors.request_for_user(memberships=request.memberships, region=request.region, pk=pk)
    if not (
        rights_selectors.is_staff_for(memberships=request.memberships, rights_request=rights_request)
        or rights_selectors.is_process_manager_for(memberships=request.memberships, rights_request=rights_request)
    ):
        raise Http404()
    decision = selectors.decision_of(rights_request)
    return (
        rights_request,
        decision,
        {
            **_letter_context(request),
            "rights_request": rights_request,
            "municipality": rights_request.municipality,
            "decision": decision,
            "title": _("Besluit op verzoek %(reference)s") % {"reference": rights_request.reference},
        },
    )


def _no_decision_yet(request, rights_request):
    messages.info(request, _("Er is nog geen besluit op dit verzoek, dus nog geen brief."))
    return redirect("rights:request_detail", pk=rights_request.pk)


def _decision_logged(request, rights_request, form: str) -> None:
    audit_events.rights_decision_letter_made(
        request=request,
        region_id=rights_request.region_id,
        youth_pseudonym=rights_request.youth_pseudonym,
        rights_request_id=rights_request.pk,
        form=form,
    )


@role_required(Role.MUNICIPAL_STAFF, Role.PROCESS_MANAGER)
def decision_letter(request, pk: int):
    rights_request, decision, context = _decision_context(request, pk)
    if decision.outcome == selectors.OPEN:
        return _no_decision_yet(request, rights_request)
    _decision_logged(request, rights_request, "page")
    return render(request, "letters/decision_page.html", context)


@role_required(Role.MUNICIPAL_STAFF, Role.PROCESS_MANAGER)
def decision_letter_pdf(request, pk: int):
    rights_request, decision, context = _decision_context(request, pk)
    if decision.outcome == selectors.OPEN:
        return _no_decision_yet(request, rights_request)
    _decision_logged(request, rights_request, "pdf")
    return _pdf(
        request,
        template="letters/letter_pdf.html",
        context={**context, "body": "letters/_decision.html"},
        filename=f"besluit-{rights_request.reference}.pdf",
    )
