"""The municipal request flow as a sequence of steps, each saying who acts next (shown on the request page)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import DECIDED_KINDS, RequestStatus


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"
    who: str  # who acts in this step


def request_steps(*, rights_request, advice_tasks) -> list[Step]:
    """Registered -> (advice asked, given, decision) -> citizen answered; the first step to do is current."""
    status = rights_request.status
    decided = status in (RequestStatus.UPHELD, RequestStatus.REJECTED)
    steps = [(_("Verzoek geregistreerd"), True, _("medewerker gemeente"))]
    if rights_request.kind in DECIDED_KINDS:
        asked = status != RequestStatus.RECEIVED
        given = asked and bool(advice_tasks) and all(task.given_at for task in advice_tasks)
        steps += [
            (_("Advies gevraagd aan de professional(s)"), asked, _("medewerker gemeente of procesmanager")),
            (_("Advies gegeven"), given or decided, _("de professional(s) die het signaal afgaven")),
            (_("Besluit door de procesmanager"), decided, _("procesmanager")),
        ]
    steps.append((_("Burger geantwoord (hoe en wanneer vastgelegd)"), rights_request.answered_on is not None
                  or status == RequestStatus.COMPLETED, _("medewerker gemeente")))  # fmt: skip
    shown, current_found = [], False
    for label, done, who in steps:
        if done:
            shown.append(Step(label, "done", who))
        elif not current_found:
            current_found = True
            shown.append(Step(label, "current", who))
        else:
            shown.append(Step(label, "todo", who))
    return shown


def next_actor(steps: list[Step]) -> str | None:
    current = next((step for step in steps if step.state == "current"), None)
    return current.who if current else None
